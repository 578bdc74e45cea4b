"""Books' catalog rows as they were, to put back later: what removing, merging and splitting keep so
that ``bookdesk undo REF`` can restore them (core/removal/).

A snapshot holds, for some works, the work rows and every row that hangs from them: people (with the
author rows they name), series entries (with their series), identifiers, tags, files, their field
change history and the import records of their files. It is plain JSON, stored in the ``removals``
table (migration 0009).

Restoring upserts by id where the same row is still there (a merge moved a file or a change to
another work; a format's book kept its other rows), inserts what is gone, and never overwrites
another book: a work id that a new book took since gets the restored book a new id. The derived list
columns and the search row are recomputed afterwards, so they follow what was restored.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, delete, select
from sqlalchemy.orm import Session

from bookdesk.data.calibre_models import CalibreLink, CustomField
from bookdesk.data.models import (
    Author,
    Base,
    Contribution,
    FieldChange,
    File,
    Identifier,
    ImportSource,
    Series,
    SeriesEntry,
    Tag,
    Work,
)
from bookdesk.data.work_repository import WorkRepository

# The rows of a work that belong to it alone, replaced whole on restore.
_OWNED: tuple[type[Base], ...] = (Identifier, Tag, Contribution, SeriesEntry)
# Kept beside them (snapshots older than issue 18 lack them): which calibre book a work came from, so a book
# brought back is followed again, and its calibre columns' values.
_CALIBRE: tuple[type[Base], ...] = (CalibreLink, CustomField)


@dataclass
class Restored:
    """What a restore did: old work id -> the id the book has now, and the files it could not list again."""

    work_ids: dict[int, int] = field(default_factory=dict)
    files_skipped: list[str] = field(default_factory=list)  # catalog paths


def capture(session: Session, work_ids: Collection[int]) -> dict:
    """The rows of these works, whole, as JSON-able data (what a removal or a merge takes away)."""
    ids = list(work_ids)
    rows: dict[str, list[dict]] = {}
    for model in (Work, *_OWNED, FieldChange, *_CALIBRE):
        column = model.id if model is Work else model.work_id
        rows[model.__tablename__] = [_dump(r) for r in session.execute(select(model).where(column.in_(ids))).scalars()]
    author_ids = {c["author_id"] for c in rows["contributions"]}
    series_ids = {e["series_id"] for e in rows["series_entries"]}
    rows["authors"] = [_dump(r) for r in session.execute(select(Author).where(Author.id.in_(author_ids))).scalars()]
    rows["series"] = [_dump(r) for r in session.execute(select(Series).where(Series.id.in_(series_ids))).scalars()]
    files = capture_files(session, session.execute(select(File.id).where(File.work_id.in_(ids))).scalars())
    return {**files, **rows}


def capture_files(session: Session, file_ids: Iterable[int]) -> dict:
    """Some files' rows and their import records, their books left out (a format removed or split out:
    undoing it puts the file back under its book and leaves the book's metadata as it is now)."""
    ids = list(file_ids)
    files = [_dump(r) for r in session.execute(select(File).where(File.id.in_(ids))).scalars()]
    sources = [_dump(r) for r in session.execute(select(ImportSource).where(ImportSource.file_id.in_(ids))).scalars()]
    empty: dict[str, list] = {name: [] for name in ("works", "identifiers", "work_tags", "contributions",
                                                    "series_entries", "field_changes", "authors", "series")}
    return {**empty, "files": files, "import_sources": sources}


def restore(session: Session, snapshot: dict) -> Restored:
    """Put the rows of ``snapshot`` back; see the module's note for how ids are kept."""
    done = Restored()
    for work in snapshot["works"]:
        done.work_ids[work["id"]] = _put_work(session, work)
    authors = {a["id"]: _author_id(session, a) for a in snapshot["authors"]}
    series = {s["id"]: _series_id(session, s) for s in snapshot["series"]}
    new_ids = list(done.work_ids.values())
    for model in _OWNED:
        session.execute(delete(model).where(model.work_id.in_(new_ids)))
    session.flush()
    for model in _OWNED:
        for row in snapshot[model.__tablename__]:
            row = {**row, "work_id": done.work_ids[row["work_id"]]}
            if model is Contribution:
                row["author_id"] = authors[row["author_id"]]
            if model is SeriesEntry:
                row["series_id"] = series[row["series_id"]]
            session.add(_load(model, row, keep_id=False))
    session.flush()
    file_ids = {}
    for row in snapshot["files"]:
        file_id = _put_file(session, {**row, "work_id": done.work_ids.get(row["work_id"], row["work_id"])})
        if file_id is None:
            done.files_skipped.append(row["path"])
        else:
            file_ids[row["id"]] = file_id
    for row in snapshot["field_changes"]:
        _upsert(session, FieldChange, {**row, "work_id": done.work_ids.get(row["work_id"], row["work_id"])})
    for row in snapshot["import_sources"]:
        if row["file_id"] in file_ids:
            _upsert(session, ImportSource, {**row, "work_id": done.work_ids.get(row["work_id"], row["work_id"]),
                                            "file_id": file_ids[row["file_id"]]})
    _put_calibre(session, snapshot, done.work_ids)
    session.flush()
    touched = set(new_ids) | {done.work_ids.get(f["work_id"], f["work_id"]) for f in snapshot["files"]}
    WorkRepository(session).refresh(sorted(w for w in touched if session.get(Work, w) is not None))
    return done


def duplicate(session: Session, work_id: int, *, added_at: datetime) -> int:
    """A new work with the metadata of ``work_id``: its row, people, series entries, identifiers and
    tags (Split Format's new book); no files, no history."""
    source = session.get(Work, work_id)
    copy = _load(Work, {**_dump(source), "added_at": added_at.isoformat()}, keep_id=False)
    session.add(copy)
    session.flush()
    for model in _OWNED:
        for row in session.execute(select(model).where(model.work_id == work_id)).scalars().all():
            session.add(_load(model, {**_dump(row), "work_id": copy.id}, keep_id=False))
    session.flush()
    return copy.id


def file_paths(snapshot: dict) -> list[str]:
    """The catalog paths of the files a snapshot holds."""
    return [f["path"] for f in snapshot["files"]]


def titles(snapshot: dict) -> dict[int, str]:
    return {w["id"]: w["title"] for w in snapshot["works"]}


def without_files(snapshot: dict, paths: Iterable[str]) -> dict:
    """The snapshot less these files (ones not back on disk: the catalog must not list a missing file)."""
    gone = set(paths)
    files = [f for f in snapshot["files"] if f["path"] not in gone]
    kept = {f["id"] for f in files}
    return {**snapshot, "files": files,
            "import_sources": [s for s in snapshot["import_sources"] if s["file_id"] in kept]}


def without_work(snapshot: dict, work_id: int) -> dict:
    """The snapshot less one work's own rows (a merge's kept book, which an undo leaves as it is now)."""
    tables = ("works", *(model.__tablename__ for model in (*_OWNED, FieldChange, File, ImportSource, *_CALIBRE)))
    return {**snapshot, **{name: [r for r in snapshot[name] if r["id" if name == "works" else "work_id"] != work_id]
                           for name in tables if name in snapshot}}


def files_moved(session: Session, snapshot: dict, holder: int | None) -> list[str]:
    """The snapshot's files the catalog no longer holds as the same row under book ``holder`` (any book when
    None): removed, merged or split since. The file, not the book id, tells that the book is the one a merge
    or split left, as a freed id is given to a new book."""
    return [f["path"] for f in snapshot["files"]
            if session.execute(select(File.id).where(
                File.id == f["id"], File.path == f["path"],
                *([File.work_id == holder] if holder is not None else []))).first() is None]


def fields_changed(session: Session, work_id: int) -> list[str]:
    """The fields of a work changed (by hand or by identification) and not undone: work done on it."""
    return list(session.execute(select(FieldChange.field).where(
        FieldChange.work_id == work_id, FieldChange.undone.is_(False), FieldChange.source != "undo")
        .distinct().order_by(FieldChange.field)).scalars())


def encode(snapshot: dict) -> str:
    return json.dumps(snapshot, ensure_ascii=False)


def decode(text: str) -> dict:
    return json.loads(text)


# ----- rows --------------------------------------------------------------------------------------


def _dump(row: Base) -> dict[str, Any]:
    values = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return values


def _load(model: type[Base], values: dict[str, Any], *, keep_id: bool) -> Base:
    row = {}
    for column in model.__table__.columns:
        if column.key not in values or (column.key == "id" and not keep_id):
            continue
        value = values[column.key]
        if isinstance(column.type, DateTime) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        row[column.key] = value
    return model(**row)


# What tells that a row under the old id is still the same row (and not another that took the id).
_SAME: dict[type[Base], tuple[str, ...]] = {
    File: ("path",),
    FieldChange: ("field", "changed_at", "correlation_id"),
    ImportSource: ("source_path", "correlation_id"),
}


def _upsert(session: Session, model: type[Base], values: dict[str, Any]) -> int:
    """The row back under its id: re-pointed if that id is still this row's, else inserted (under a new
    id when another row took the old one since)."""
    current = session.get(model, values["id"])
    if current is not None:
        dumped = _dump(current)
        if all(dumped[key] == values[key] for key in _SAME[model]):
            for key in ("work_id", "file_id"):
                if key in values:
                    setattr(current, key, values[key])
            return current.id
    row = _load(model, values, keep_id=current is None)
    session.add(row)
    session.flush()
    return row.id


def _put_work(session: Session, values: dict[str, Any]) -> int:
    current = session.get(Work, values["id"])
    if current is not None and current.added_at.isoformat() == values["added_at"]:
        for key, value in vars(_load(Work, values, keep_id=True)).items():
            if not key.startswith("_"):
                setattr(current, key, value)  # the book itself, still here (a merge kept it, a format went)
        return current.id
    row = _load(Work, values, keep_id=current is None)
    session.add(row)
    session.flush()
    return row.id


def _put_file(session: Session, values: dict[str, Any]) -> int | None:
    """None when another file of the catalog now has this path (a book imported there since)."""
    holder = session.execute(select(File.id).where(File.path == values["path"])).scalar()
    if holder is not None and holder != values["id"]:
        return None
    return _upsert(session, File, values)


def _put_calibre(session: Session, snapshot: dict, work_ids: dict[int, int]) -> None:
    """A restored book's calibre link (unless its calibre book is linked to another book since) and values."""
    for row in snapshot.get(CustomField.__tablename__, []):
        if row["work_id"] in work_ids:
            session.execute(delete(CustomField).where(CustomField.work_id == work_ids[row["work_id"]],
                                                      CustomField.name == row["name"]))
            session.add(_load(CustomField, {**row, "work_id": work_ids[row["work_id"]]}, keep_id=False))
    for row in snapshot.get(CalibreLink.__tablename__, []):
        taken = session.execute(select(CalibreLink.id).where(CalibreLink.library == row["library"],
                                                             CalibreLink.book_id == row["book_id"])).first()
        if row["work_id"] in work_ids and taken is None:
            session.add(_load(CalibreLink, {**row, "work_id": work_ids[row["work_id"]]}, keep_id=False))


def _author_id(session: Session, values: dict[str, Any]) -> int:
    found = session.execute(select(Author.id).where(Author.name == values["name"])).scalar()
    if found is not None:
        return found
    row = _load(Author, values, keep_id=session.get(Author, values["id"]) is None)
    session.add(row)
    session.flush()
    return row.id


def _series_id(session: Session, values: dict[str, Any]) -> int:
    current = session.get(Series, values["id"])
    if current is not None and current.name == values["name"]:
        return current.id
    row = _load(Series, values, keep_id=current is None)
    session.add(row)
    session.flush()
    return row.id
