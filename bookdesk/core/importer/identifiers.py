"""Recognising and normalising book identifiers found in files and names."""

from __future__ import annotations

import re

_ISBN_CHARS = re.compile(r"[^0-9Xx]")
_ASIN = re.compile(r"^B0[0-9A-Z]{8}$")


def normalise_isbn(text: str) -> str | None:
    """A valid ISBN-10 or ISBN-13 as ISBN-13 digits, else None."""
    raw = text.strip()
    if raw.lower().startswith("urn:isbn:"):
        raw = raw[9:]
    elif raw.lower().startswith("isbn"):
        raw = raw[4:].lstrip(":").strip()
    digits = _ISBN_CHARS.sub("", raw).upper()
    if len(digits) == 13 and digits.isdigit() and _isbn13_ok(digits):
        return digits
    if len(digits) == 10 and digits[:9].isdigit() and _isbn10_ok(digits):
        core = "978" + digits[:9]
        return core + _isbn13_check(core)
    return None


def normalise_asin(text: str) -> str | None:
    value = text.strip().upper()
    return value if _ASIN.match(value) else None


def _isbn13_check(first12: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def _isbn13_ok(digits: str) -> bool:
    return _isbn13_check(digits[:12]) == digits[12]


def _isbn10_ok(digits: str) -> bool:
    total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
    return total % 11 == 0
