"""Pieces every provider's series client shares: a book entry from a provider's values, dates, and
telling whether two series names mean the same series."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable

from bookdesk.core.providers.book_kinds import looks_like_compilation
from bookdesk.core.providers.fields import first_author, people
from bookdesk.core.providers.sanitise import clean_field
from bookdesk.core.providers.series_listing import ListedBook
from bookdesk.vocabulary.positions import Position, read_position

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_NOISE = re.compile(r"[^\w\s]", re.UNICODE)
_TRAILING = re.compile(r"\s+(?:series|saga|sequence|cycle|chronicles?|trilogy|books?|novels?)$")
MAX_ENTRIES = 500  # no series worth listing is longer; a longer answer is trimmed, with a note


def release_date(value: object) -> datetime.date | None:
    """A date from "2010-08-31", "2010-08-31T00:00:00.000Z", "2010-08", "2010" or 2010. A month
    alone is read as its first day, a year alone as 1 January; impossible dates are None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.date(value, 1, 1) if 0 < value < 10000 else None
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime.date(year, month, day) if year > 0 else None
    except ValueError:
        return None


def series_key(name: str, *, strict: bool = False) -> str:
    """A series name reduced for comparison: case, accents, punctuation and a leading "The" do not
    make two series different, nor (unless ``strict``) a trailing "Series"/"Saga"/"Trilogy"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("&", " and ")
    text = " ".join(_NOISE.sub(" ", text).split())
    if text.startswith("the "):
        text = text[4:]
    return text if strict else (_TRAILING.sub("", text) or text)


def same_series(first: str | None, second: str | None, *, strict: bool = False) -> bool:
    return bool(first and second) and series_key(first, strict=strict) == series_key(second, strict=strict)


def person_key(name: str) -> str:
    """A person's name reduced for comparison: "Le Guin, Ursula K." and "Ursula K. Le Guin" agree."""
    text = first_author([name]) or ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_NOISE.sub(" ", text).split())


def same_person(first: object, second: object) -> bool:
    a, b = clean_field(first, 200), clean_field(second, 200)
    return bool(a and b) and person_key(a) == person_key(b)


def authors_of(names: Iterable[object]) -> list[str]:
    return [c.name for c in people(names)]


def listed_book(*, title: object, authors: list[str], position: object = None, details: object = None,
                compilation: bool = False, subtitle: object = None, released: object = None,
                language: str | None = None, identifiers: dict[str, str] | None = None,
                cover_url: str | None = None, remarks: list[str] | None = None,
                where: str = "") -> ListedBook | None:
    """A ListedBook from a provider's values, or None without a title.

    ``details`` is the position as printed when the provider keeps it apart from a numeric
    ``position`` (Hardcover's ``details`` "1-3" beside ``position`` 1): the printed one wins, and the
    number fills in an order for a printed word ("Prequel" at 0). Anything the label reading left
    out or could not read is added to ``remarks`` as a sentence naming ``where`` it came from.
    """
    name = clean_field(title, 300)
    if not name:
        return None
    place = _position(details, position)
    if place.remark and remarks is not None:
        printed = clean_field(details if details not in (None, "") else position, 120)
        remarks.append(_remark(where, name, printed, place))
    text_says_omnibus = looks_like_compilation(name, clean_field(subtitle))
    return ListedBook(
        title=name,
        authors=authors,
        label=place.label,
        sort_key=place.sort_key,
        is_compilation=bool(compilation) or place.is_range or text_says_omnibus,
        release_date=release_date(released),
        language=language,
        identifiers=dict(identifiers or {}),
        cover_url=cover_url,
    )


def _position(details: object, position: object) -> Position:
    printed = read_position(details)
    number = read_position(position)
    if details in (None, ""):
        return number
    if printed.sort_key is None and number.sort_key is not None:
        if printed.label:  # "Prequel" printed, 0 as the number: keep the word, sort by the number
            return Position(printed.label, number.start, remark=printed.remark)
        return Position(number.label, number.start, number.end, remark=printed.remark)
    return printed


def _remark(where: str, title: str, printed: str | None, place: Position) -> str:
    source = f"{where}: " if where else ""
    if place.label:
        return (f"{source}\u201c{title}\u201d is listed at \u201c{printed}\u201d; read as position "
                f"{place.label} ({place.remark}).")
    return f"{source}\u201c{title}\u201d has a position BookDesk could not read ({place.remark}); it is listed without one."
