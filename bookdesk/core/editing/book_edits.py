"""What a person asks to change in one or many books (``BookEdits``), checked before anything is
written, and what one edit did (``EditOutcome``).

Every attribute left at None (or empty) leaves that part of the books as it is:

- ``fields``: any editable field by name (``data/work_fields.py``: SCALAR_FIELDS + LIST_FIELDS) with
  its whole new value, as the Edit Metadata dialog gives them (``{"title": "Ash", "series":
  [{"name": "Earthsea", "label": "2"}]}``). The bulk attributes below apply after them.
- ``authors``: the authors, in order (the faces split "A & B" with ``vocabulary.people.split_people``).
- ``series``: a series name: each book's series becomes this one series (``""`` removes every series);
  a book already in it keeps its position there. ``position`` is its label for every book; ``number_from`` numbers the books instead, consecutively
  from that number in the order the work ids are given (calibre's "automatically number books").
  A ``position`` without ``series`` moves the book within its first series.
- ``tags`` replaces the tags; ``add_tags`` and ``remove_tags`` then add and take away.
- ``language`` (``""`` clears it), ``read_state`` (one of ``READ_STATES``), ``rating`` (0 to 10; a
  rating is cleared with ``fields={"rating": None}``).
- ``lock`` / ``unlock``: fields to lock against identification, or to free.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bookdesk.data.catalog_rows import FieldChangeRecord
from bookdesk.data.work_fields import LIST_FIELDS, SCALAR_FIELDS, normalised
from bookdesk.errors import UsageError

EDITABLE = SCALAR_FIELDS + LIST_FIELDS
# A language code (en, fra, pt-BR): the one rule the dialogs, bulk edit and ``bookdesk edit`` share.
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
LANGUAGE_PROBLEM = "A language is a code such as en, fr or pt-BR."


def language_refused(value: object) -> bool:
    """Whether a language cannot be set by hand ("" and None clear it, and are fine)."""
    return isinstance(value, str) and bool(value.strip()) and not LANGUAGE.match(value.strip())


@dataclass(frozen=True)
class BookEdits:
    fields: Mapping[str, object] = field(default_factory=dict)
    authors: tuple[str, ...] | None = None
    series: str | None = None
    position: str | None = None
    number_from: float | None = None
    tags: frozenset[str] | None = None
    add_tags: frozenset[str] = frozenset()
    remove_tags: frozenset[str] = frozenset()
    language: str | None = None
    read_state: str | None = None
    rating: int | None = None
    lock: tuple[str, ...] = ()
    unlock: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == BookEdits()

    def check(self) -> None:
        """Refuse what cannot be written, before anything is: UsageError with the reason."""
        if self.is_empty():
            raise UsageError("Nothing to change: say which fields to edit.")
        for name in (*self.fields, *self.lock, *self.unlock):
            if name not in EDITABLE:
                raise UsageError(f"There is no field {name!r}; editable fields are {', '.join(EDITABLE)}.")
        for name, value in self.fields.items():
            _checked(name, value)
        if both := set(self.lock) & set(self.unlock):
            raise UsageError(f"A field cannot be locked and unlocked at once: {', '.join(sorted(both))}.")
        if self.authors is not None and not normalised("authors", list(self.authors)):
            raise UsageError("Name at least one author.")
        if self.position is not None and self.number_from is not None:
            raise UsageError("Give either one position for every book or a number to count from, not both.")
        if self.series == "" and (self.position is not None or self.number_from is not None):
            raise UsageError("A book taken out of its series has no position in it.")
        if language_refused(self.language) or language_refused(self.fields.get("language")):
            raise UsageError(f"{LANGUAGE_PROBLEM} Nothing was changed.")
        if self.read_state is not None:
            _checked("read_state", self.read_state)
        if self.rating is not None:
            _checked("rating", self.rating)


def _checked(name: str, value: object) -> None:
    try:
        normalised(name, value)
    except (TypeError, ValueError, KeyError, AttributeError):
        raise UsageError(f"{value!r} is not a value for {name}.") from None


@dataclass(frozen=True)
class EditOutcome:
    """What one edit changed, under one correlation id (the Ref ``bookdesk undo`` takes)."""

    correlation_id: str
    changes: list[FieldChangeRecord]

    @property
    def books(self) -> int:
        return len({change.work_id for change in self.changes})

    def summary(self) -> str:
        if not self.changes:
            return "Nothing changed: the books already had these values."
        count = len(self.changes)
        books = self.books
        return (f"{count} change{'s' if count != 1 else ''} to {books} book{'s' if books != 1 else ''} "
                f"(Ref {self.correlation_id})")
