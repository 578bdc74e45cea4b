"""The fields a calibre book gives a BookDesk book, as FieldChange records keep them (``work_fields``):
what an import records as changes from "calibre", what a link keeps as the base of the next run, and what a
later run compares both sides with. calibre's custom columns are kept beside (``custom_fields``), and one
yes/no or choice column may be chosen as BookDesk's read state."""

from __future__ import annotations

from bookdesk.core.calibre.records import CalibreBook
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.data.work_fields import normalised
from bookdesk.vocabulary.titles import title_sort

# The fields kept in step with calibre (the cover is calibre's file, and follows it where it is).
SYNCED = ("title", "sort_title", "authors", "series", "tags", "identifiers", "rating", "publisher", "first_published",
          "description", "language", "read_state")
_FINISHED = {"read", "finished", "yes", "done", "true", "1"}
_READING = {"reading", "in progress", "started", "currently reading", "current"}


def calibre_fields(book: CalibreBook, meta: BookMetadata, read_column: str | None) -> dict[str, object]:
    """Every synced field of ``book`` as calibre has it now, normalised; read_state only when a column is chosen."""
    fields: dict[str, object] = {
        # After the title: a title set in step makes the sort title follow it, then calibre's own is set.
        "title": meta.title, "sort_title": book.title_sort or title_sort(meta.title, meta.language),
        "authors": [c.name for c in meta.contributors],
        "series": [{"name": s.name, "label": s.label} for s in meta.series], "tags": meta.subjects,
        "identifiers": meta.identifiers, "rating": book.rating, "publisher": meta.publisher,
        "first_published": meta.published, "description": meta.description, "language": meta.language}
    if read_column:
        fields["read_state"] = read_state_of(book.custom.get(read_column))
    return {name: normalised(name, value) for name, value in fields.items()}


def read_state_of(value: object) -> str:
    """A read column's value as BookDesk's read state: yes (or "Read", "Finished") is finished, "Reading" or
    "In progress" is reading, anything else (no, empty) unread."""
    if isinstance(value, bool):
        return "finished" if value else "unread"
    text = str(value or "").strip().casefold()
    if text in _FINISHED:
        return "finished"
    return "reading" if text in _READING else "unread"
