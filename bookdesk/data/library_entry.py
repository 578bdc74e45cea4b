"""A series entry as the gap analysis reads it: its fields by name, and the column numbers of the plain rows."""

from __future__ import annotations

from typing import NamedTuple


class LibraryEntry(NamedTuple):
    """One series entry of the library with what the gap rules need of its work.

    ``GapRepository.entry_rows`` hands out plain tuples in this field order, not LibraryEntry objects: making one
    per row would add some 40 ms to every whole-library analysis. Code that reads one field of such
    a row names it with the column numbers below; the rules unpack the fields by name.
    """

    work_id: int
    label: str
    sort_key: float | None
    sort_key_end: float | None
    status: str = "owned"  # owned | wanted | ignored
    kinds: int = 0  # bit 1: the work has an ebook file; bit 2: an audiobook file
    wanted_kinds: str = ""  # media kinds wanted for this work ("audiobook"), see Work.wanted_kinds
    first_published: str | None = None  # a wanted work's expected release
    authors: str = ""  # the work's authors as the library list shows them
    series_id: int = 0
    entry_print: int = 0  # change with anything above (see gap_fingerprints.py); the rules ignore them
    work_print: int = 0


AUTHORS = LibraryEntry._fields.index("authors")
SERIES_ID = LibraryEntry._fields.index("series_id")
ENTRY_PRINT = LibraryEntry._fields.index("entry_print")
WORK_PRINT = LibraryEntry._fields.index("work_print")
