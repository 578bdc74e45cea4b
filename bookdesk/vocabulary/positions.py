"""Series positions as people, files and providers write them, and the one number each sorts by.

"1", "01", "#3", "1.5", "1,5" (a decimal comma), "Book 2", "Vol. 2", "Volume II", "Part 3",
"Book Two", "1-3" and "1–3" (an omnibus covers each), "Books 1, 2 & 3", "Prequel", "0", or the
numbers 2 and 2.0. ``read_position`` turns any of them into a ``Position``:

- ``label``: the position as a person reads it ("2", "1.5", "1-3", "Prequel"), "" when none;
- ``start``: the number it sorts by (its first position for a range), None without a number;
- ``end``: the last position a range covers, None for a single position;
- ``secondary``: an edition of a position rather than a book of its own (a dramatisation, a
  graphic novel, a box set of books already counted);
- ``remark``: words that came with the number and were left out of the label ("Dramatized
  Adaptation"), or why a position could not be read.

It never raises: what cannot be read becomes an empty label with a remark. The catalog stores
``label``, ``start`` and ``end``, and every reader of a stored position goes through
``position_of``, so a position reads the same in import, matching, gaps and the window.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_POSITION = 100_000.0  # beyond this a "position" is an ISBN, a year or a typo
_MAX_CHARS = 120

_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
_ROMAN = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
# The words that introduce a position, in the languages whose books people mostly keep.
LEAD_WORDS = (r"book|bk|books|volume|volumes|vol|vols|v|part|parts|pt|no|nr|number|tome|tomo|band|bd|livre|libro"
              r"|deel|episode|issue|novel|novella|installment|instalment")
_LEAD = re.compile(rf"^(?:(?:{LEAD_WORDS})\b\.?\s*#?\s*|#\s*)", re.IGNORECASE)
NUMBER = r"\d+(?:[.,]\d+)?"
RANGE_GLUE = r"\s*(?:-|\u2013|\u2014|to|through|thru|&|and|\+)\s*"
_HEAD = re.compile(rf"^({NUMBER})(?:{RANGE_GLUE}#?({NUMBER}))?(?=$|[\s,;:().\[\]])(.*)$",
                   re.IGNORECASE | re.DOTALL)
_LIST = re.compile(rf"^{NUMBER}(?:\s*,\s*{NUMBER})+\s*(?:(?:,?\s*(?:&|and))\s*{NUMBER})?$", re.IGNORECASE)
_WORD_HEAD = re.compile(r"^([a-z]+)\b(.*)$", re.IGNORECASE | re.DOTALL)
_SEPARATORS = " ,;:-\u2013\u2014()[]."
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Words that make a listed book an edition of a position rather than a position of its own.
_SECONDARY = re.compile(
    r"dramati[sz]|adaptation|graphic (?:novel|audio)|full[- ]cast|radio play|box(?:ed)? set|omnibus|collection|"
    r"bundle|compilation|summary|study guide|companion", re.IGNORECASE)
# Labels that are a place in the series without a number, read before book 1.
UNNUMBERED_FIRST = ("prequel", "prologue", "origin")


@dataclass(frozen=True, slots=True)
class Position:
    label: str = ""
    start: float | None = None
    end: float | None = None
    secondary: bool = False
    remark: str | None = None

    @property
    def sort_key(self) -> float | None:
        return self.start

    @property
    def is_range(self) -> bool:
        return self.end is not None

    @property
    def last(self) -> float | None:
        """The last position it covers (its start for a single position)."""
        return self.end if self.end is not None else self.start

    def covers(self, number: float) -> bool:
        return self.start is not None and self.start <= number <= (self.last or self.start)


NO_POSITION = Position()


def format_number(value: float) -> str:
    """2.0 -> "2", 2.5 -> "2.5" (never "2.50000001" or "1e+06")."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def read_position(value: object) -> Position:
    """``value`` (a number, or text from a file, a folder name or a provider) as a Position."""
    if value is None or isinstance(value, bool):
        return NO_POSITION
    if isinstance(value, int | float):
        return _from_number(float(value), repr(value))
    text = " ".join(_CONTROL.sub(" ", str(value)[: _MAX_CHARS * 4]).split())[:_MAX_CHARS]
    if not text:
        return NO_POSITION
    found = _from_text(text)
    if _SECONDARY.search(text) and not found.secondary:
        return Position(found.label, found.start, found.end, True, found.remark)
    return found


def position_label(value: object) -> str:
    """The label to store for a position as a file or provider writes it: "Book 2" -> "2", calibre's
    "2.0" -> "2", "Prequel" stays; text with a number that cannot be read ("2a") is kept as written
    rather than lost, with no number to sort by."""
    found = read_position(value)
    if found.label or not found.remark or isinstance(value, int | float):
        return found.label
    return " ".join(_CONTROL.sub(" ", str(value)[:_MAX_CHARS]).split())[:40]


def position_of(label: str | None, sort_key: float | None, sort_key_end: float | None = None) -> Position:
    """A stored position: its numbers when the catalog has them, else what its label says.

    A range label ("1-3") stored with only its start keeps its end from the label.
    """
    if not isinstance(sort_key, int | float) or isinstance(sort_key, bool) or not math.isfinite(sort_key) \
            or sort_key < 0:
        sort_key = None
    if not isinstance(sort_key_end, int | float) or isinstance(sort_key_end, bool) \
            or not math.isfinite(sort_key_end):
        sort_key_end = None
    text = label if isinstance(label, str) else ("" if label is None else str(label))
    if sort_key is not None and sort_key_end is None and (not text or text == format_number(sort_key)):
        return Position(format_number(sort_key), float(sort_key))  # the usual case: nothing to read
    read = read_position(text)
    if sort_key is None:
        return read
    end = sort_key_end
    if end is None and read.end is not None and read.start == sort_key:
        end = read.end
    start = float(sort_key)
    if end is not None and end < start:
        start, end = end, start
    if end == start:
        end = None
    shown = f"{format_number(start)}-{format_number(end)}" if end is not None else format_number(start)
    return Position(shown, start, end, read.secondary, read.remark)


def is_prequel(label: str | None) -> bool:
    return (label or "").strip().lower().startswith(UNNUMBERED_FIRST)


def _from_number(number: float, shown: str) -> Position:
    if not math.isfinite(number) or number < 0 or number > MAX_POSITION:
        return Position(remark=f"position {shown} is not a usable number")
    return Position(format_number(number), number)


def _to_number(text: str) -> float | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) and 0 <= number <= MAX_POSITION else None


def _from_text(text: str) -> Position:
    body = text.strip()
    lead = _LEAD.match(body)
    if lead:
        body = body[lead.end():].strip()
    if _LIST.match(body):  # "1, 2, 3" or "1, 2 & 3": the books of an omnibus
        numbers = [n for n in (_to_number(p) for p in re.split(r"\s*(?:,|&|and)\s*", body, flags=re.I))
                   if n is not None]
        if numbers and not re.fullmatch(r"\d+,\d+", body):  # "1,5" with no space is a decimal comma
            return _range(min(numbers), max(numbers), None)
    head = _HEAD.match(body)
    if head:
        first, last, rest = head.group(1), head.group(2), head.group(3)
        start = _to_number(first)
        if start is None:
            return Position(remark=f"position {text!r} is not a usable number")
        remark = _rest(rest)
        if last is not None:
            end = _to_number(last)
            if end is None:
                return Position(format_number(start), start, remark=remark)
            return _range(start, end, remark)
        return Position(format_number(start), start, remark=remark)
    if lead:  # "Book Two", "Volume III", "Part One: The Shadow"
        word = _WORD_HEAD.match(body)
        if word:
            number = word_number(word.group(1))
            if number is not None:
                return Position(format_number(number), float(number), remark=_rest(word.group(2)))
    if any(c.isdigit() for c in text):  # "Season 2 Episode 4", "2a": a number, but not one to trust
        return Position(remark=f"position {text!r} could not be read")
    # Words only: "Prequel", "Novella", "Companion". Kept as printed, with no place in the order.
    return Position(text[:40])


def _range(start: float, end: float, remark: str | None) -> Position:
    if end < start:
        start, end = end, start
        remark = f"{remark}; range written backwards" if remark else "range written backwards"
    if end == start:
        return Position(format_number(start), start, remark=remark)
    return Position(f"{format_number(start)}-{format_number(end)}", start, end, remark=remark)


def word_number(word: str) -> int | None:
    """ "two" -> 2, "third" -> 3, "III" -> 3; None for any other word."""
    word = word.lower()
    if word in _WORDS:
        return _WORDS[word]
    if _ROMAN.match(word):
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
        total = 0
        for here, after in zip(word, word[1:] + " ", strict=True):
            value = values[here]
            total += -value if values.get(after, 0) > value else value
        return total or None
    return None


def _rest(rest: str) -> str | None:
    """What followed the number, as a remark ("Dramatized Adaptation"), or None for nothing/punctuation."""
    text = rest.strip(_SEPARATORS).strip()
    return text[:80] if any(c.isalnum() for c in text) else None
