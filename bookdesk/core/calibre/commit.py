"""Committing a calibre plan batch by batch, as imports do (``importer/batch_commit.py``): copied or linked
files are journaled before they are placed and the batch is committed in one transaction that clears its
journal; a batch the catalog refuses is taken back out. In place, nothing is placed or journaled: the
catalog only points at calibre's files, and the journal's recovery must never be able to delete them.

Every field carried over is a FieldChange with source "calibre" under the import's Ref, so History says
where it came from; the sources recorded make the whole import undo by that Ref.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from sqlalchemy import bindparam, text, update

from bookdesk.core.calibre.plan import IN_PLACE, CalibreItem, CalibrePlan, book_format
from bookdesk.core.calibre.records import CustomColumn
from bookdesk.core.file_hash import sha256_of
from bookdesk.core.importer.batch_commit import refused
from bookdesk.core.importer.placement import Placer
from bookdesk.core.importer.plan import FAILED
from bookdesk.data.calibre_repository import READ_COLUMN, CalibreRepository, CustomValue, Link
from bookdesk.data.catalog import Catalog
from bookdesk.data.catalog_rows import UNKNOWN_AUTHOR, Contributor, NewFile, NewWork
from bookdesk.data.import_repository import ImportRepository, SourceRecord
from bookdesk.data.models import Work
from bookdesk.data.work_repository import WorkRepository, now
from bookdesk.errors import BookDeskError
from bookdesk.vocabulary.folding import fold

log = logging.getLogger(__name__)

SOURCE = "calibre"  # the source of every FieldChange an import from calibre makes
BATCH = 1000


class CalibreCommitter:
    def __init__(self, catalog: Catalog, plan: CalibrePlan, correlation_id: str) -> None:
        self.catalog, self.plan, self.correlation_id = catalog, plan, correlation_id
        self.calibre, self.mode = plan.folder, plan.mode
        self.placer = Placer(catalog.folder, "link" if self.mode == "link" else "copy")

    def commit(self, items: Sequence[CalibreItem]) -> None:
        """Place and commit one batch of NEW items; an item that cannot be placed fails alone."""
        journal_ids: list[int] = []
        placed = list(items)
        if self.mode != IN_PLACE:
            with self.catalog.write() as session:
                journal_ids = ImportRepository(session).journal(
                    [(t, str(s)) for item in items for t, s in _placements(item)], self.correlation_id)
            placed = [item for item in items if self._place(item)]
        try:
            with self.catalog.write() as session:
                self._commit(session, placed)
                ImportRepository(session).clear_journal(journal_ids)
        except Exception as exc:
            for item in placed:  # refused: nothing of the batch may stay in the library
                if self.mode != IN_PLACE:
                    self.placer.remove(t for t, _ in _placements(item))
                item.status, item.reason = FAILED, refused(exc)
            if journal_ids:
                with self.catalog.write() as session:
                    ImportRepository(session).clear_journal(journal_ids)
            raise

    def _place(self, item: CalibreItem) -> bool:
        done: list[str] = []
        try:
            for fmt, target in item.files:
                self.placer.place(fmt.path, target)
                done.append(target)
            if item.cover_target and item.book.cover is not None:
                self.placer.place(item.book.cover, item.cover_target)
                done.append(item.cover_target)
        except BookDeskError as exc:
            self.placer.remove(done)
            item.status, item.reason = FAILED, exc.message
            log.warning("calibre import failed for %s: %s", item.title, exc.message)
            return False
        return True

    def _commit(self, session, items: list[CalibreItem]) -> None:  # noqa: ANN001 - Session
        states = {id(item): self._states(item) for item in items}
        ids = WorkRepository(session).add_many([_new_work(item, states[id(item)]) for item in items])
        for item, work_id in zip(items, ids, strict=True):
            item.work_id = work_id
        # What add_many does not take: calibre's rating, title sort, and when the book was added to calibre.
        rows = [{"wid": item.work_id, "r": item.book.rating, "state": item.fields.get("read_state", "unread"),
                 "added": (item.book.timestamp.replace(tzinfo=None) if item.book.timestamp else now()),
                 "sort": item.fields["sort_title"], "key": fold(str(item.fields["sort_title"]))}
                for item in items]
        if rows:
            table = Work.__table__
            session.execute(update(table).where(table.c.id == bindparam("wid")).values(
                rating=bindparam("r"), read_state=bindparam("state"), added_at=bindparam("added"),
                sort_title=bindparam("sort"), title_key=bindparam("key")), rows)
        changes = [change for item in items for change in _changes(item, self.correlation_id)]
        if changes:
            # Ten or so a book: straight to SQLite, where SQLAlchemy's making of each row's parameters took
            # longer than the insert itself (bench/calibre_import.py).
            session.connection().connection.driver_connection.executemany(_CHANGE, changes)
        sources = [SourceRecord(str(fmt.path), target, *states[id(item)][target], item.work_id, None, True, self.mode,
                                self.correlation_id) for item in items for fmt, target in item.files]
        # A book of metadata alone (calibre has no file of it): its source without a target, so undo finds it.
        sources += [SourceRecord(str(self.calibre / item.book.path), None, 0, 0, "", item.work_id, None, True,
                                 self.mode, self.correlation_id) for item in items if not item.files]
        ImportRepository(session).record_sources(sources)
        calibre = CalibreRepository(session)
        calibre.add_links(links_of(items, self.plan), self.plan.library_uuid, self.correlation_id)
        calibre.set_custom(custom_values(items, self.plan.columns), SOURCE)
        _link_sources(session, self.correlation_id)

    def _states(self, item: CalibreItem) -> dict[str, tuple[int, int, str]]:
        """Each file's (size, mtime_ns, content hash) as the catalog keeps them. Copied or linked, its hash as
        any import keeps; in place, calibre's files are not read (a library of thousands comes over in
        seconds), and a later import of one is known by its path, size and time."""
        states = {}
        for fmt, target in item.files:
            if self.mode == IN_PLACE:  # as the reader found it a moment ago
                states[target] = (fmt.size, fmt.mtime_ns, "")
                continue
            stat = (self.catalog.folder / target).stat()
            states[target] = (stat.st_size, stat.st_mtime_ns, sha256_of([self.catalog.folder / target]))
        return states


def _placements(item: CalibreItem) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = [(target, fmt.path) for fmt, target in item.files]
    if item.cover_target and item.book.cover is not None:
        pairs.append((item.cover_target, item.book.cover))
    return pairs


def _new_work(item: CalibreItem, states: dict[str, tuple[int, int, str]]) -> NewWork:
    meta = item.metadata
    files = []
    for fmt, target in item.files:
        kind, (size, mtime, digest) = book_format(fmt), states[target]
        files.append(NewFile(path=target, format=kind.name, media_kind=kind.media_kind, size=size, mtime=mtime / 1e9,
                             content_hash=digest, source_path=str(fmt.path)))
    return NewWork(title=meta.title, contributors=meta.contributors or [Contributor(UNKNOWN_AUTHOR)],
                   series=meta.series, identifiers=meta.identifiers, tags=meta.subjects, description=meta.description,
                   language=meta.language, publisher=meta.publisher, first_published=meta.published,
                   cover_path=item.cover_target, files=files)


_CHANGE = ("INSERT INTO field_changes (work_id, field, old_value, new_value, source, correlation_id, changed_at, "
           "undone) VALUES (?, ?, 'null', ?, ?, ?, ?, 0)")


def _changes(item: CalibreItem, correlation_id: str) -> list[tuple]:
    """The FieldChange rows of a book brought over: every field calibre gave it, from nothing."""
    fields = {**item.fields, "cover_path": item.cover_target}
    when = now().strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy stores a DateTime in SQLite
    return [(item.work_id, name, json.dumps(value), SOURCE, correlation_id, when)
            for name, value in fields.items() if value not in (None, "", [], {}, "unread")]


def links_of(items: Sequence[CalibreItem], plan: CalibrePlan) -> list[Link]:
    """What the next run compares with: each book's link with its fields as they came over now (and the
    column taken as the read state, for a run of the scheduled job to take too)."""
    chosen = {READ_COLUMN: plan.read_column} if plan.read_column else {}
    return [Link(item.work_id, str(plan.folder), item.book.id, item.book.uuid,  # type: ignore[arg-type]
                 item.book.last_modified.isoformat() if item.book.last_modified else "", {**item.fields, **chosen})
            for item in items if item.book.uuid]


def custom_values(items: Sequence[CalibreItem], columns: Sequence[CustomColumn]) -> list[CustomValue]:
    by_label = {c.label: c for c in columns}
    return [CustomValue(item.work_id, label, by_label[label].name, by_label[label].datatype, value)  # type: ignore[arg-type]
            for item in items for label, value in item.book.custom.items() if label in by_label]


def _link_sources(session, correlation_id: str) -> None:  # noqa: ANN001 - Session
    """The file ids of the sources just recorded: undo takes out what they point at."""
    session.execute(_LINK, {"cid": correlation_id})


_LINK = text(
    "UPDATE import_sources SET file_id = (SELECT files.id FROM files WHERE files.path = import_sources.target_path) "
    "WHERE correlation_id = :cid AND file_id IS NULL AND target_path IS NOT NULL")

