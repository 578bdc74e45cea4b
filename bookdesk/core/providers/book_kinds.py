"""Telling from a title whether a record is an omnibus, or a book about the book rather than the book.

Matching uses these flags to keep "Summary of Dune" and "The Dune Trilogy Box Set" from being
taken for Dune. They are guesses from words; a provider's own flag (Hardcover's ``compilation``)
wins where there is one.
"""

from __future__ import annotations

import re

_COMPILATION = re.compile(
    r"\bbox(?:ed)?[\s-]*set\b|\bboxset\b|\bomnibus\b|\bcomplete (?:series|collection|saga|trilogy)\b"
    r"|\b(?:books?|volumes?|vols?\.?|novels?|parts?)\s*#?\d+\s*(?:-|\u2013|\u2014|&|to|through|and)\s*#?\d+\b"
    r"|\b\d+[\s-]*(?:book|novel|volume)s?[\s-]*(?:set|collection|bundle|box)\b"
    r"|\b(?:trilogy|series|collection) (?:set|bundle)\b",
    re.IGNORECASE)

_COMPANION = re.compile(
    r"\bsummary (?:of|and|&)\b|^\s*summary\s*[:\-\u2013]|\bstudy guide\b|\bsparknotes?\b|\bcliffs ?notes\b"
    r"|\bworkbook\b|\banalysis of\b|\b(?:summary|analysis) (?:and|&) analysis\b|\btrivia\b|\bquiz(?:zes)? book\b"
    r"|\bconversation starters\b|\breader'?s guide\b|\bteacher'?s guide\b|\blesson plans?\b"
    r"|\bbook companion\b|\bunofficial guide to\b|\bcritical (?:guide|companion) to\b",
    re.IGNORECASE)


def looks_like_compilation(title: str | None, subtitle: str | None = None) -> bool:
    """ "The Earthsea Cycle Box Set", "Books 1-3", "Omnibus": several books in one."""
    text = " ".join(t for t in (title, subtitle) if t)
    return bool(text) and bool(_COMPILATION.search(text))


def looks_like_companion(title: str | None, subtitle: str | None = None) -> bool:
    """ "Summary of ...", "Study Guide", "SparkNotes", "Workbook", "Analysis of", "Trivia": not the book."""
    text = " ".join(t for t in (title, subtitle) if t)
    return bool(text) and bool(_COMPANION.search(text))
