"""Provider values turned into Candidate fields the same way for every provider."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bookdesk.core.importer.identifiers import normalise_isbn
from bookdesk.core.providers.sanitise import clean_field
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.vocabulary.people import display_name, person_key
from bookdesk.vocabulary.positions import position_label, read_position

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ASIN = re.compile(r"^[0-9A-Z]{10}$")
MAX_PEOPLE = 20
MAX_SERIES = 5


def people(names: Iterable[object], role: str = "author") -> list[Contributor]:
    """Distinct, cleaned names as contributors in the given role."""
    found: list[Contributor] = []
    seen: set[str] = set()
    for name in names:
        text = clean_field(name, 200)
        if text and person_key(text) not in seen:
            seen.add(person_key(text))
            found.append(Contributor(text, role))
        if len(found) >= MAX_PEOPLE:
            break
    return found


def series_ref(name: object, position: object = None) -> SeriesRef | None:
    """A SeriesRef with the position as printed and a number to sort by, or None without a name."""
    title = clean_field(name, 300)
    if not title:
        return None
    found = read_position(position)
    return SeriesRef(title, position_label(position), found.start)


def isbn13(value: object) -> str | None:
    return normalise_isbn(value) if isinstance(value, str) else None


def asin(value: object) -> str | None:
    """An Amazon/Audible ASIN (ten letters and digits), upper-cased, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    return text if _ASIN.match(text) else None


def date_text(value: object) -> str | None:
    """ "2004", "2004-05" or "2004-05-01" from a year, a date or a timestamp."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10000:
        return f"{value:04d}"
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    return "-".join(part for part in match.groups() if part)


def https(url: object) -> str | None:
    """An absolute http(s) URL, upgraded to https where the provider serves both; else None."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    if text.startswith("//"):
        text = "https:" + text
    if text.startswith("http://") and ("books.google." in text or "googleusercontent" in text
                                       or "media-amazon" in text or "images-amazon" in text):
        text = "https://" + text[len("http://"):]
    if not text.startswith(("https://", "http://")) or len(text) > 2000 or any(c in text for c in " \n\r\t\"'<>"):
        return None
    return text


def as_dict(value: object) -> dict:
    """``value`` if it is a JSON object, else an empty one: provider answers are not trusted to have
    the shape their documentation shows."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list:
    return value if isinstance(value, list) else []


def first_author(authors: Iterable[str]) -> str | None:
    """The first author, as a search engine wants it: "Le Guin, Ursula K." -> "Ursula K. Le Guin"."""
    for name in authors:
        shown = display_name(str(name))
        if shown:
            return shown
    return None
