"""Provider values turned into Candidate fields the same way for every provider."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bookdesk.core.importer.identifiers import normalise_isbn
from bookdesk.core.providers.sanitise import clean_field
from bookdesk.data.positions import parse_position
from bookdesk.data.records import Contributor, SeriesRef

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_POSITION_WORDS = re.compile(r"^(?:book|volume|vol\.?|part|no\.?|number|#)\s*", re.IGNORECASE)
_ASIN = re.compile(r"^[0-9A-Z]{10}$")
MAX_PEOPLE = 20
MAX_SERIES = 5


def people(names: Iterable[object], role: str = "author") -> list[Contributor]:
    """Distinct, cleaned names as contributors in the given role."""
    found: list[Contributor] = []
    seen: set[str] = set()
    for name in names:
        text = clean_field(name, 200)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            found.append(Contributor(text, role))
        if len(found) >= MAX_PEOPLE:
            break
    return found


def position_label(value: object) -> str:
    """A series position as printed: 1 -> "1", 1.5 -> "1.5", "Book 2" -> "2", "1-3" stays."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        number = float(value)
        return str(int(number)) if number.is_integer() else f"{number:g}"
    text = clean_field(value, 40) or ""
    text = _POSITION_WORDS.sub("", text).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def series_ref(name: object, position: object = None) -> SeriesRef | None:
    """A SeriesRef with the position as printed and a number to sort by, or None without a name."""
    title = clean_field(name, 300)
    if not title:
        return None
    label = position_label(position)
    first, _ = parse_position(label) if label else (None, None)
    return SeriesRef(title, label, first)


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
        text = " ".join(str(name).split())
        if not text:
            continue
        last, comma, rest = text.partition(",")
        if comma and rest.strip() and "," not in rest and rest.strip().rstrip(".").lower() not in _SUFFIXES:
            return f"{rest.strip()} {last.strip()}"
        return text
    return None


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md"}
