"""Many works' fields changed at once, each change recorded as ``WorkRepository.set_field`` records one (a
FieldChange with the old and new value, so History shows it and ``WorkRepository.undo`` puts it back).

For a run that brings thousands of changes (a re-run of a calibre library after a bulk edit there): one
statement per field over every work it changes, where ``set_field`` read the whole book, wrote, flushed and
re-derived its list columns for each field of each book (bench/calibre_import.py, the re-run). Only the
fields whose writing needs nothing but their own column (and, for the sort title, its sort key; for tags, the
search row) are here; the caller checks locks and the values are normalised already.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bookdesk.data import search_index
from bookdesk.data.work_repository import now
from bookdesk.vocabulary.folding import fold

# The fields written here; any other goes through WorkRepository.set_field.
BULK_FIELDS = frozenset({"sort_title", "description", "language", "publisher", "first_published", "rating",
                         "read_state", "tags"})
_CHUNK = 900
_CHANGE = ("INSERT INTO field_changes (work_id, field, old_value, new_value, source, correlation_id, changed_at, "
           "undone) VALUES (?, ?, ?, ?, ?, ?, ?, 0)")


@dataclass(frozen=True, slots=True)
class Change:
    work_id: int
    field: str  # one of BULK_FIELDS
    old: object
    new: object


def write_changes(session: Session, changes: Sequence[Change], *, source: str, correlation_id: str) -> None:
    """Write every change, a statement per field, and record each; the session's cached works are expired."""
    if not changes:
        return
    session.flush()
    db = session.connection().connection.driver_connection
    when = now().strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy stores a DateTime in SQLite
    by_field: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_field[change.field].append(change)
    for name, some in by_field.items():
        if name == "tags":
            _write_tags(db, some)
        elif name == "sort_title":
            db.executemany("UPDATE works SET sort_title = ?, title_key = ?, updated_at = ? WHERE id = ?",
                           [(c.new, fold(str(c.new)), when, c.work_id) for c in some])
        elif name in BULK_FIELDS:
            db.executemany(f"UPDATE works SET {name} = ?, updated_at = ? WHERE id = ?",  # noqa: S608 - a known name
                           [(c.new, when, c.work_id) for c in some])
        else:
            raise ValueError(f"{name} is not written in bulk")
    db.executemany(_CHANGE, [(c.work_id, c.field, json.dumps(c.old), json.dumps(c.new), source, correlation_id, when)
                             for c in changes])
    search_index.refresh(session, sorted({c.work_id for c in by_field.get("tags", [])}))
    session.expire_all()  # works read before through the session hold the old values


def _write_tags(db, changes: list[Change]) -> None:  # noqa: ANN001 - sqlite3.Connection
    works = [c.work_id for c in changes]
    for start in range(0, len(works), _CHUNK):
        chunk = works[start:start + _CHUNK]
        db.execute(f"DELETE FROM work_tags WHERE work_id IN ({','.join('?' * len(chunk))})", chunk)  # noqa: S608
    db.executemany("INSERT INTO work_tags (work_id, tag) VALUES (?, ?)",
                   [(c.work_id, tag) for c in changes
                    for tag in dict.fromkeys(t.strip() for t in c.new if t.strip())])  # type: ignore[attr-defined]
