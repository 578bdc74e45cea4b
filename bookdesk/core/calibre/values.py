"""calibre's stored values as BookDesk keeps them: dates, language codes, custom columns' values."""

from __future__ import annotations

from datetime import UTC, datetime

from bookdesk.core.calibre.records import CustomColumn
from bookdesk.core.providers.languages import iso639_1
from bookdesk.core.providers.sanitise import clean_field, plain_text

# calibre's "no date": it stores the year 101 (and a few versions the year 1) for a date nobody set.
_UNDEFINED_BEFORE = 1000


def parse_date(value: object) -> datetime | None:
    """``2019-03-04 00:00:00+00:00`` (calibre's form, with or without fractions of a second) in UTC;
    None for calibre's undefined date or anything that is not a date."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.year < _UNDEFINED_BEFORE:
        return None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def language_code(code: str) -> str:
    """calibre's ISO 639-2/3 code ("eng") as the two-letter code BookDesk keeps, or as it is if unknown."""
    return iso639_1(code) or code


def custom_value(column: CustomColumn, values: list) -> object:
    """The value of one custom column for one book, from the rows calibre keeps for it: a list for a
    column of many values (tag-like), else one value; None when nothing usable is there."""
    kind = column.datatype
    if column.is_multiple:
        found = [clean_field(v) for v in values]
        return [v for v in found if v] or None
    if not values or values[0] is None:
        return None
    value = values[0]
    if kind == "bool":
        return bool(value)
    if kind in ("int", "rating"):
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "datetime":
        when = parse_date(value)
        return when.date().isoformat() if when else None
    if kind == "comments":
        return plain_text(value)
    return clean_field(value)
