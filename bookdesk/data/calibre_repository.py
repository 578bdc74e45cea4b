"""What the catalog keeps of calibre libraries brought over (migration 0011): the link of each work to its
calibre book, with the fields as they came over at the last run, and calibre's custom columns' values."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from bookdesk.data.calibre_models import CalibreLink, CustomField
from bookdesk.data.custom_field_changes import MARK
from bookdesk.data.models import FieldChange, ImportSource
from bookdesk.data.work_repository import now


@dataclass(frozen=True, slots=True)
class Link:
    work_id: int
    library: str
    book_id: int
    book_uuid: str
    last_modified: str
    fields: dict  # the fields as they came over at the last run


_CHUNK = 900  # ids in one IN (...)
# Kept in a link's fields: the custom column taken as the read state (by its label), for a later run to take it too.
READ_COLUMN = "#read_column"
# Kept in a link's fields: the link as it was before the run that last changed it, so undoing that run puts the
# base back and the next run offers calibre's changes again. A few runs deep, not every run since the first.
BEFORE, _BEFORE_DEPTH = "#before", 3


# Kept in a link's fields by the run that linked a book here already (imported from its files) to its calibre
# book: undoing that run takes the link out, the book staying as it was before.
ATTACHED = "#attached"


@dataclass(frozen=True, slots=True)
class Followed:
    """A calibre library brought over: its folder, how its books came (in-place, copy or link), and the custom
    column taken as the read state, if one was."""

    library: str
    mode: str
    read_column: str | None


@dataclass(frozen=True, slots=True)
class CustomValue:
    work_id: int
    name: str  # the column's label in calibre
    label: str  # its name as a person sees it
    kind: str
    value: object


class CalibreRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def links(self) -> dict[str, Link]:
        """Every link by the calibre book's uuid (unique across calibre libraries, and kept when one moves)."""
        rows = self.session.execute(select(CalibreLink.work_id, CalibreLink.library, CalibreLink.book_id,
                                           CalibreLink.book_uuid, CalibreLink.last_modified, CalibreLink.fields_json))
        return {uuid: Link(work, library, book, uuid, modified, json.loads(fields))
                for work, library, book, uuid, modified, fields in rows}

    def runs_of(self, uuids: Sequence[str]) -> dict[str, str]:
        """The Ref of the run that last brought each of these calibre books (by uuid) over or up to date."""
        found: dict[str, str] = {}
        for start in range(0, len(uuids), 900):
            found.update((uuid, ref) for uuid, ref in self.session.execute(
                select(CalibreLink.book_uuid, CalibreLink.correlation_id)
                .where(CalibreLink.book_uuid.in_(uuids[start:start + 900]))))
        return found

    def followed(self) -> list[Followed]:
        """Every calibre library some book here came from, as its newest run brought it over."""
        found = []
        for library, fields in self.session.execute(
                select(CalibreLink.library, CalibreLink.fields_json).order_by(CalibreLink.id.desc())):
            if any(f.library == library for f in found):
                continue
            mode = self.session.execute(
                select(ImportSource.mode).where(ImportSource.source_path.startswith(library.rstrip("/") + "/",
                                                                                    autoescape=True))
                .order_by(ImportSource.id.desc()).limit(1)).scalar()
            found.append(Followed(library, mode or "in-place", json.loads(fields).get(READ_COLUMN)))
        return found

    def add_links(self, links: Sequence[Link], library_uuid: str, correlation_id: str) -> None:
        rows = [{"work_id": k.work_id, "library": k.library, "library_uuid": library_uuid, "book_id": k.book_id,
                 "book_uuid": k.book_uuid, "last_modified": k.last_modified,
                 "fields_json": json.dumps(k.fields, ensure_ascii=False), "correlation_id": correlation_id,
                 "synced_at": now()} for k in links]
        if rows:
            self.session.execute(insert(CalibreLink.__table__), rows)

    def update_links(self, links: Sequence[Link], correlation_id: str) -> None:
        """Each link as this run leaves it, keeping what it was before (``BEFORE``) for an undo of the run."""
        uuids = [link.book_uuid for link in links]
        rows = {}
        for start in range(0, len(uuids), _CHUNK):
            rows.update((row.book_uuid, row) for row in self.session.execute(
                select(CalibreLink.id, CalibreLink.book_uuid, CalibreLink.library, CalibreLink.book_id,
                       CalibreLink.last_modified, CalibreLink.correlation_id, CalibreLink.fields_json)
                .where(CalibreLink.book_uuid.in_(uuids[start:start + _CHUNK]))))
        values, when = [], now()
        for link in links:
            fields, row = dict(link.fields), rows.get(link.book_uuid)
            if row is None:
                continue  # taken out since (its book removed here): nothing to update
            fields[BEFORE] = _trimmed({"library": row.library, "book_id": row.book_id,
                                       "last_modified": row.last_modified, "correlation_id": row.correlation_id,
                                       "fields": json.loads(row.fields_json)})
            values.append({"rid": row.id, "library": link.library, "book_id": link.book_id,
                           "last_modified": link.last_modified, "fields_json": json.dumps(fields, ensure_ascii=False),
                           "correlation_id": correlation_id, "synced_at": when})
        if values:
            table = CalibreLink.__table__
            # By id: book_uuid has no index of its own, and a scan of every link for each of thousands was most
            # of a big re-run's time.
            self.session.execute(update(table).where(table.c.id == bindparam("rid")).values(
                {name: bindparam(name) for name in values[0] if name != "rid"}), values)

    def last_run(self) -> tuple[str, datetime, int, str] | None:
        """The newest calibre run that brought books up to date: (its Ref, when, how many books, the library)."""
        row = self.session.execute(select(CalibreLink.correlation_id, CalibreLink.synced_at, CalibreLink.library)
                                   .order_by(CalibreLink.synced_at.desc(), CalibreLink.id.desc()).limit(1)).first()
        if row is None or row[0] is None:
            return None
        books = self.session.execute(select(func.count()).where(CalibreLink.correlation_id == row[0])).scalar() or 0
        return row[0], row[1], books, row[2]

    def undo_run(self, correlation_id: str) -> int:
        """The links a run brought up to date, as they were before it (its changes undone); how many."""
        rows = self.session.execute(select(CalibreLink).where(CalibreLink.correlation_id == correlation_id)).scalars()
        undone = 0
        for row in rows.all():
            fields = json.loads(row.fields_json)
            before = fields.get(BEFORE)
            if not before and fields.get(ATTACHED):
                self.session.delete(row)
                undone += 1
            elif before:
                row.library, row.book_id, row.last_modified = before["library"], before["book_id"], before["last_modified"]
                row.correlation_id, row.fields_json = before["correlation_id"], json.dumps(before["fields"],
                                                                                          ensure_ascii=False)
                undone += 1
        return undone

    def set_custom(self, values: Iterable[CustomValue], source: str) -> None:
        """Store the custom values of books just brought over (a later run's: ``follow_custom``)."""
        rows = [{"work_id": v.work_id, "name": v.name, "label": v.label, "kind": v.kind,
                 "value_json": json.dumps(v.value, ensure_ascii=False), "source": source} for v in values]
        if rows:
            self.session.execute(insert(CustomField.__table__), rows)

    def follow_custom(self, values: Iterable[CustomValue], works: Iterable[int], columns: Iterable[str], source: str,
                      correlation_id: str) -> None:
        """The custom values of ``works`` as calibre has them now, each change recorded (a value calibre
        cleared too); the values of columns calibre no longer has go, as the columns did. A statement for all
        the values changed, and one for their changes (a run may bring thousands)."""
        given = {(v.work_id, v.name): v for v in values}
        ids, kept = list(works), set(columns)
        stored = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            self.session.execute(delete(CustomField).where(CustomField.work_id.in_(chunk),
                                                           CustomField.name.not_in(kept)))
            stored.update(((row.work_id, row.name), row) for row in self.session.execute(
                select(CustomField.id, CustomField.work_id, CustomField.name, CustomField.label, CustomField.kind,
                       CustomField.value_json).where(CustomField.work_id.in_(chunk))))
        cleared = [CustomValue(row.work_id, row.name, row.label, row.kind, None) for key, row in stored.items()
                   if key not in given]
        updates, inserts, changes, when = [], [], [], now()
        for v in [*given.values(), *cleared]:
            row = stored.get((v.work_id, v.name))
            old = json.loads(row.value_json) if row is not None else None
            if old == v.value:
                continue
            value = json.dumps(v.value, ensure_ascii=False)
            if row is not None:
                updates.append({"rid": row.id, "value_json": value, "source": source})
            else:
                inserts.append({"work_id": v.work_id, "name": v.name, "label": v.label, "kind": v.kind,
                                "value_json": value, "source": source})
            changes.append({"work_id": v.work_id, "field": MARK + v.name, "old_value": json.dumps(old, ensure_ascii=False),
                            "new_value": value, "source": source, "correlation_id": correlation_id, "changed_at": when,
                            "undone": False})
        table = CustomField.__table__
        if updates:
            self.session.execute(update(table).where(table.c.id == bindparam("rid")).values(
                value_json=bindparam("value_json"), source=bindparam("source")), updates)
        for rows, into in ((inserts, table), (changes, FieldChange.__table__)):
            if rows:
                self.session.execute(insert(into), rows)

    def custom(self, work_id: int) -> list[CustomValue]:
        """A work's custom values, leaving out those calibre cleared (kept for their history)."""
        rows = self.session.execute(select(CustomField).where(CustomField.work_id == work_id).order_by(CustomField.id))
        values = [CustomValue(r.work_id, r.name, r.label, r.kind, json.loads(r.value_json)) for r in rows.scalars()]
        return [v for v in values if v.value is not None]


def _trimmed(before: dict, depth: int = _BEFORE_DEPTH) -> dict:
    inner = before["fields"].get(BEFORE)
    if inner is not None:
        before["fields"][BEFORE] = _trimmed(inner, depth - 1) if depth > 1 else None
        if before["fields"][BEFORE] is None:
            del before["fields"][BEFORE]
    return before
