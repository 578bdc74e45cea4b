"""Reading series positions out of labels as people and providers print them.

The catalog keeps ``sort_key``/``sort_key_end`` for its own entries; providers send labels
such as "Book 2", "#3", "Books 1-3", "Book Two" or "Book 2, Dramatized Adaptation". This
turns either into numbers, and says when a label is an alternate edition of a position (a
dramatisation, a graphic novel) rather than a book of its own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(_NUMBER + r"\s*(?:-|–|—|to|&|and)\s*" + _NUMBER, re.IGNORECASE)
_SINGLE = re.compile(_NUMBER)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
          "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
          "eighth": 8, "ninth": 9, "tenth": 10}
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)
# Words that make a listed book an edition of a position rather than a position of its own.
_SECONDARY = re.compile(
    r"dramati[sz]|adaptation|graphic novel|full[- ]cast|radio play|box(?:ed)? set|omnibus|collection|"
    r"bundle|compilation|summary|study guide|companion", re.IGNORECASE)
# Labels that are a place in the series without a number.
UNNUMBERED_FIRST = ("prequel", "prologue", "origin")


@dataclass(frozen=True, slots=True)
class Position:
    start: float | None  # None: a label with no number ("Prequel")
    end: float | None  # set for a range: "1-3" covers 1, 2 and 3
    secondary: bool = False  # an adaptation or a compilation, not a book of its own
    cleaned: bool = False  # the label needed reading ("Book 2" -> 2), not a bare number

    @property
    def label(self) -> str:
        """The canonical label: "2", "2.5", "1-3", or "" without a number."""
        if self.start is None:
            return ""
        if self.end is not None:
            return f"{format_number(self.start)}-{format_number(self.end)}"
        return format_number(self.start)


def format_number(value: float) -> str:
    """2.0 -> "2", 2.5 -> "2.5" (never "2.50000001" or "1e+06")."""
    if value == int(value):
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def read_label(label: str | None) -> Position:
    """The position a label names; never raises."""
    text = (label or "").strip()
    if not text:
        return Position(None, None)
    secondary = bool(_SECONDARY.search(text))
    bare = _SINGLE.fullmatch(text)
    if bare:
        return Position(_number(bare.group(1)), None, secondary)
    ranged = _RANGE.search(text)
    if ranged:
        start, end = _number(ranged.group(1)), _number(ranged.group(2))
        if start is not None and end is not None:
            if end < start:
                start, end = end, start
            if end == start:
                return Position(start, None, secondary, cleaned=True)
            return Position(start, end, secondary, cleaned=not _RANGE.fullmatch(text))
    single = _SINGLE.search(text)
    if single:
        return Position(_number(single.group(1)), None, secondary, cleaned=True)
    word = _WORD.search(text)
    if word:
        return Position(float(_WORDS[word.group(1).lower()]), None, secondary, cleaned=True)
    return Position(None, None, secondary)


def position_of(label: str | None, sort_key: float | None, sort_key_end: float | None = None) -> Position:
    """A position from a stored or listed number when there is one, else from the label.

    A range label ("1-3") with only its start as the number keeps its end from the label.
    """
    if not isinstance(sort_key, int | float) or isinstance(sort_key, bool):
        sort_key = None  # a provider's "2" as text, or anything else: the label decides
    if not isinstance(sort_key_end, int | float) or isinstance(sort_key_end, bool):
        sort_key_end = None
    if not isinstance(label, str):
        label = "" if label is None else str(label)
    if sort_key is not None and sort_key_end is None and 0 <= sort_key < math.inf \
            and (not label or label.isdigit() or label == format_number(sort_key)):
        return Position(float(sort_key), None)  # the usual case: a bare number, nothing to read
    read = read_label(label)
    if sort_key is None or not math.isfinite(sort_key) or sort_key < 0:
        return read
    end = sort_key_end if sort_key_end is not None and math.isfinite(sort_key_end) else None
    if end is None and read.end is not None and read.start == sort_key:
        end = read.end
    if end is not None and end < sort_key:
        sort_key, end = end, sort_key
    if end == sort_key:
        end = None
    return Position(float(sort_key), end, read.secondary, read.cleaned)


def is_prequel(label: str | None) -> bool:
    return (label or "").strip().lower().startswith(UNNUMBERED_FIRST)
