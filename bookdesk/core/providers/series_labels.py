"""Series positions as providers print them, made into a label and a number to sort by.

Providers write positions every way there is: 2, 2.0, "2", "Book 2", "#2", "Book Two", "Vol. II",
"1-3", "1 & 2", "1,5" (a German decimal), "Book 2, Dramatized Adaptation", "Prequel", or nothing.
``read_position`` turns any of them into a ``Position``:

- ``label``: the position as a person reads it ("2", "1.5", "1-3", "Prequel"), "" when there is none;
- ``sort_key``: the first position it covers, or None;
- ``is_range``: it covers several positions (an omnibus "1-3");
- ``remark``: words that came with the number and were left out of the label
  ("Dramatized Adaptation"), or why a position could not be read. The caller turns it into a note.

It never raises: what cannot be read becomes an empty label with a remark.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bookdesk.core.providers.sanitise import clean_field

MAX_POSITION = 100_000.0  # beyond this a "position" is an ISBN, a year or a typo

_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
_ROMAN = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_LEAD = re.compile(
    r"^(?:book|bk|books|volume|volumes|vol|vols|part|parts|pt|no|nr|number|tome|band|livre|episode|issue"
    r"|novel|novella|installment|instalment)\b\.?\s*#?\s*|^#\s*",
    re.IGNORECASE)
_NUMBER = r"\d+(?:[.,]\d+)?"
_RANGE_GLUE = r"\s*(?:-|\u2013|\u2014|to|through|thru|&|and|\+)\s*"
_HEAD = re.compile(rf"^({_NUMBER})(?:{_RANGE_GLUE}#?({_NUMBER}))?(?=$|[\s,;:().\[\]])(.*)$",
                   re.IGNORECASE | re.DOTALL)
_LIST = re.compile(rf"^{_NUMBER}(?:\s*,\s*{_NUMBER})+\s*(?:(?:,?\s*(?:&|and))\s*{_NUMBER})?$", re.IGNORECASE)
_WORD_HEAD = re.compile(r"^([a-z]+)\b(.*)$", re.IGNORECASE | re.DOTALL)
_SEPARATORS = " ,;:-\u2013\u2014()[]."


@dataclass(frozen=True, slots=True)
class Position:
    label: str = ""
    sort_key: float | None = None
    is_range: bool = False
    remark: str | None = None

    @property
    def end(self) -> float | None:
        """The last position a range covers (the first for a single position)."""
        if not self.is_range:
            return self.sort_key
        _, _, last = self.label.partition("-")
        try:
            return float(last)
        except ValueError:
            return self.sort_key


NO_POSITION = Position()


def read_position(value: object) -> Position:
    """``value`` (a number or text from a provider) as a Position; see the module's description."""
    if value is None or isinstance(value, bool):
        return NO_POSITION
    if isinstance(value, int | float):
        return _from_number(float(value), repr(value))
    text = clean_field(value, 120)
    if not text:
        return NO_POSITION
    return _from_text(text)


def _from_number(number: float, shown: str) -> Position:
    if not math.isfinite(number) or number < 0 or number > MAX_POSITION:
        return Position(remark=f"position {shown} is not a usable number")
    return Position(_number_label(number), number)


def _number_label(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _to_number(text: str) -> float | None:
    text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and 0 <= number <= MAX_POSITION else None


def _from_text(text: str) -> Position:
    body = text.strip()
    lead = _LEAD.match(body)
    if lead:
        body = body[lead.end():].strip()
    if _LIST.match(body):  # "1, 2, 3" or "1, 2 & 3": the books of an omnibus
        numbers = [n for n in (_to_number(p) for p in re.split(r"\s*(?:,|&|and)\s*", body, flags=re.I)) if n is not None]
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
                return Position(_number_label(start), start, remark=remark)
            return _range(start, end, remark)
        return Position(_number_label(start), start, remark=remark)
    if lead:  # "Book Two", "Volume III", "Part One: The Shadow"
        word = _WORD_HEAD.match(body)
        if word:
            number = _word_number(word.group(1))
            if number is not None:
                return Position(_number_label(number), float(number), remark=_rest(word.group(2)))
    if any(c.isdigit() for c in text):  # "Season 2 Episode 4", "2a": a number, but not one to trust
        return Position(remark=f"position {text!r} could not be read")
    # Words only: "Prequel", "Novella", "Companion". Kept as printed, with no place in the order.
    return Position(text[:40])


def _range(start: float, end: float, remark: str | None) -> Position:
    if end < start:
        start, end = end, start
        remark = _join(remark, "range written backwards")
    if end == start:
        return Position(_number_label(start), start, remark=remark)
    return Position(f"{_number_label(start)}-{_number_label(end)}", start, True, remark)


def _word_number(word: str) -> int | None:
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


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second
