"""Series positions as printed ("2", "1.5", "1-3", "Prequel") and as numbers to sort and compare."""

from __future__ import annotations


def parse_position(label: str) -> tuple[float | None, float | None]:
    """ "2" -> (2, None); "1.5" -> (1.5, None); "1-3" -> (1, 3); "Prequel" -> (None, None)."""
    clean = label.strip().replace("\u2013", "-")
    if not clean:
        return None, None
    if "-" in clean:
        first, _, last = clean.partition("-")
        try:
            return float(first), float(last)
        except ValueError:
            return None, None
    try:
        return float(clean), None
    except ValueError:
        return None, None
