"""Small wording helpers for series: provider names as people know them, lists of labels, titles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bookdesk.core.providers.languages import iso639_1
from bookdesk.vocabulary.folding import fold

_SOURCE_NAMES = {"hardcover": "Hardcover", "audnexus": "Audible", "audible": "Audible",
                 "googlebooks": "Google Books", "openlibrary": "Open Library", "library": "Your library"}
_NOT_WORD = re.compile(r"[^\w]+")


def display_source(source: str) -> str:
    """ "hardcover" -> "Hardcover", "audnexus" -> "Audible" (whose series data Audnexus relays)."""
    return _SOURCE_NAMES.get(source.lower(), source[:1].upper() + source[1:])


def join_labels(labels: Iterable[str]) -> str:
    """ ["3", "5", "8"] -> "3, 5 and 8"."""
    items = list(labels)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def folded_title(title: object) -> str:
    text = title if isinstance(title, str) else str(title or "")
    return _NOT_WORD.sub(" ", fold(text)).strip()


def same_title(first: str | None, second: str | None) -> bool:
    """Whether two listed titles name one book: equal when folded, or one is the other plus a subtitle."""
    if first == second:
        return True
    a, b = folded_title(first), folded_title(second)
    if not a or not b:
        return True  # a title not given contradicts nothing
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


@lru_cache(maxsize=256)
def iso_language(value: str | None) -> str | None:
    """ "eng", "English", "en-GB" -> "en" (remembered: a library's listings use a handful of forms)."""
    return iso639_1(value) if value else None
