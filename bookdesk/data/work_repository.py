"""Reading and writing works with their people, series, identifiers, tags and files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from bookdesk.data import search_index
from bookdesk.data.catalog_rows import (
    Contributor,
    FieldChangeRecord,
    NewFile,
    NewWork,
    SeriesRef,
    WorkDetail,
    WorkRow,
    series_display,
)
from bookdesk.data.custom_field_changes import is_custom, undo_custom
from bookdesk.data.models import (
    Author,
    Contribution,
    FieldChange,
    File,
    Identifier,
    Series,
    SeriesEntry,
    Tag,
    Work,
)
from bookdesk.data.series_identity import SeriesResolver
from bookdesk.data.work_details import work_details
from bookdesk.data.work_fields import (
    LIST_FIELDS,
    SCALAR_FIELDS,
    change_record,
    chosen_series,
    field_value,
    is_locked,
    normalised,
)
from bookdesk.data.work_listing import shelf_condition, work_ids
from bookdesk.data.work_writer import add_works
from bookdesk.errors import NotFoundError, UsageError
from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.people import author_sort
from bookdesk.vocabulary.positions import position_of
from bookdesk.vocabulary.titles import title_sort


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class WorkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ----- listing -------------------------------------------------------------------

    def ids(self, search: str | None = None, sort: str = "title", descending: bool = False,
            shelf: str | None = None) -> list[int]:
        """Ids of every work matching ``search`` (FTS) on ``shelf`` (work_listing.SHELVES; None: every
        work), in the chosen order."""
        return work_ids(self._driver(), search, sort, descending, shelf)

    def count(self, shelf: str | None = None) -> int:
        # count(*), not count(id): SQLite counts the smallest index then, 1 ms on 100,000 books, not 20.
        conditions, params = shelf_condition(shelf)
        if not conditions:
            return self.session.execute(select(func.count()).select_from(Work)).scalar_one()
        sql = f"SELECT count(*) FROM works WHERE {conditions[0]}"
        return self.session.connection().connection.driver_connection.execute(sql, params).fetchone()[0]

    def rows(self, ids: Sequence[int]) -> list[WorkRow]:
        """The list rows of ``ids``, in that order (missing ids are left out)."""
        if not ids:
            return []
        found: dict[int, WorkRow] = {}
        for chunk_start in range(0, len(ids), 900):
            chunk = ids[chunk_start:chunk_start + 900]
            result = self.session.execute(
                select(Work.id, Work.title, Work.authors_display, Work.series_display, Work.formats,
                       Work.status, Work.added_at, Work.first_published, Work.read_state, Work.rating,
                       select(func.count(File.id)).where(File.work_id == Work.id).scalar_subquery(),
                       Work.on_server)
                .where(Work.id.in_(chunk))
            )
            for row in result:
                found[row[0]] = WorkRow(*row)
        return [found[i] for i in ids if i in found]

    # ----- one work ------------------------------------------------------------------

    def detail(self, work_id: int) -> WorkDetail:
        found = self.details([work_id])
        if not found:
            raise NotFoundError(f"There is no book with id {work_id} in this library.")
        return found[0]

    def details(self, ids: Sequence[int]) -> list[WorkDetail]:
        """Full records of ``ids`` in that order (data/work_details.py)."""
        return work_details(self._driver(), ids)

    def find_by_file_hash(self, content_hash: str) -> tuple[int, str] | None:
        row = self.session.execute(
            select(File.work_id, File.path).where(File.content_hash == content_hash).limit(1)).first()
        return (row[0], row[1]) if row else None

    def find_by_identifier(self, scheme: str, value: str) -> int | None:
        return self.session.execute(
            select(Identifier.work_id).where(Identifier.scheme == scheme, Identifier.value == value).limit(1)
        ).scalar()

    def file_paths(self) -> set[str]:
        return set(self.session.execute(select(File.path)).scalars())

    # ----- writing -------------------------------------------------------------------

    def add(self, new: NewWork) -> int:
        return add_works(self.session, [new], now=now())[0]

    def add_many(self, works: Sequence[NewWork]) -> list[int]:
        """Add many works at once (an import batch): a few statements per table, not per book."""
        return add_works(self.session, works, now=now())

    def add_file(self, work_id: int, new_file: NewFile, *, refresh: bool = True) -> int:
        row = File(work_id=work_id, path=new_file.path, format=new_file.format,
                   media_kind=new_file.media_kind, size=new_file.size, mtime=new_file.mtime,
                   content_hash=new_file.content_hash, source_path=new_file.source_path,
                   duration_seconds=new_file.duration_seconds, added_at=now())
        self.session.add(row)
        self.session.flush()
        if refresh:
            self.refresh([work_id])
        return row.id

    def update_file_state(self, file_id: int, *, size: int, mtime: float, content_hash: str) -> bool:
        """A file's bytes changed under BookDesk's own hand (metadata written into it): record its new
        size, time and hash. False when the file is no longer in the catalog."""
        result = self.session.execute(update(File).where(File.id == file_id)
                                      .values(size=size, mtime=mtime, content_hash=content_hash))
        return bool(result.rowcount)

    def delete(self, work_ids: Iterable[int]) -> None:
        ids = list(work_ids)
        self.session.execute(delete(Work).where(Work.id.in_(ids)))
        self.session.execute(text(f"DELETE FROM work_fts WHERE rowid IN ({','.join(str(int(i)) for i in ids)})"))

    def set_field(self, work_id: int, field: str, value: object, *, source: str,
                  correlation_id: str | None) -> FieldChangeRecord | None:
        """Change one field and record the change. Returns None when nothing changed or the field is
        locked against ``source`` (only the user, directly or by undoing, may change a locked field)."""
        detail = self.detail(work_id)
        if is_locked(field, detail.locked_fields) and source not in ("user", "undo"):
            return None
        old = field_value(detail, field)
        new = normalised(field, value)
        if old == new:
            return None
        self._write_field(work_id, field, chosen_series(value, new) if field == "series" else new)
        change = FieldChange(work_id=work_id, field=field, old_value=json.dumps(old),
                             new_value=json.dumps(new), source=source, correlation_id=correlation_id,
                             changed_at=now(), undone=False)
        self.session.add(change)
        self.session.flush()
        return change_record(change)

    def set_locked(self, work_id: int, field: str, locked: bool) -> None:
        if field not in SCALAR_FIELDS + LIST_FIELDS:
            raise UsageError(f"There is no field {field!r} to lock.")
        work = self._work(work_id)
        fields = {f for f in work.locked_fields.split(",") if f}
        fields = fields | {field} if locked else fields - {field}
        work.locked_fields = ",".join(sorted(fields))

    def history(self, work_id: int) -> list[FieldChangeRecord]:
        changes = self.session.execute(
            select(FieldChange).where(FieldChange.work_id == work_id)
            .order_by(FieldChange.changed_at.desc(), FieldChange.id.desc())).scalars()
        return [change_record(c) for c in changes]

    def changes_of(self, correlation_id: str) -> list[FieldChangeRecord]:
        """The changes one job made that are not undone yet, newest first."""
        changes = self.session.execute(
            select(FieldChange).where(FieldChange.correlation_id == correlation_id, FieldChange.undone.is_(False))
            .order_by(FieldChange.id.desc())).scalars()
        return [change_record(c) for c in changes]

    def undo(self, change_id: int, *, correlation_id: str | None) -> FieldChangeRecord | None:
        """Put a field back to its value before ``change_id``; the undo is itself recorded."""
        change = self.session.get(FieldChange, change_id)
        if change is None:
            raise NotFoundError(f"There is no change {change_id} to undo.")
        if change.undone:
            return None
        change.undone = True
        if is_custom(change.field):  # a calibre custom column's value (custom_field_changes.py)
            done = undo_custom(self.session, change, correlation_id=correlation_id, when=now())
            return change_record(done) if done is not None else None
        return self.set_field(change.work_id, change.field, json.loads(change.old_value or "null"),
                              source="undo", correlation_id=correlation_id)

    def refresh(self, work_ids: Iterable[int]) -> None:
        """Recompute the derived list columns and the search row of these works."""
        ids = list(work_ids)
        for work_id in ids:
            work = self._work(work_id)
            people = self.session.execute(
                select(Author.name, Author.sort_name).join(Contribution, Contribution.author_id == Author.id)
                .where(Contribution.work_id == work_id, Contribution.role == "author")
                .order_by(Contribution.position, Contribution.id)).all()
            work.authors_display = " & ".join(name for name, _ in people)
            work.author_key = fold(" & ".join(sort for _, sort in people))
            first_series = self.session.execute(
                select(Series.name, SeriesEntry.label, SeriesEntry.sort_key, Series.sort_name)
                .join(SeriesEntry, SeriesEntry.series_id == Series.id)
                .where(SeriesEntry.work_id == work_id).order_by(SeriesEntry.id).limit(1)).first()
            if first_series:
                name, label, key, sort_name = first_series
                work.series_display = series_display(name, label)
                work.series_key = fold(sort_name)
                work.series_index = key
            else:
                work.series_display, work.series_key, work.series_index = "", "", None
            formats = self.session.execute(
                select(File.format).where(File.work_id == work_id).distinct().order_by(File.format)).scalars()
            work.formats = ", ".join(f.upper() for f in formats)
            work.title_key = fold(work.sort_title)
            work.updated_at = now()
        self.session.flush()
        search_index.refresh(self.session, ids)

    # ----- internals -----------------------------------------------------------------

    def _driver(self):  # noqa: ANN202 - the sqlite3 connection under the session
        """The session's DB-API connection, for the queries written in plain SQL; what the session holds
        unwritten is flushed first, as its own queries flush it."""
        self.session.flush()
        return self.session.connection().connection.driver_connection

    def _work(self, work_id: int) -> Work:
        work = self.session.get(Work, work_id)
        if work is None:
            raise NotFoundError(f"There is no book with id {work_id} in this library.")
        return work

    def _write_field(self, work_id: int, field: str, value: object) -> None:
        if field in SCALAR_FIELDS:
            values: dict[str, object] = {field: value}
            if field == "title":
                work = self._work(work_id)
                # Keep the sort title following the title unless someone set it apart.
                if work.sort_title in (title_sort(work.title), title_sort(work.title, work.language)):
                    values["sort_title"] = title_sort(str(value), work.language)
            self.session.execute(update(Work).where(Work.id == work_id).values(**values))
            self.session.expire_all()
        elif field == "authors":
            kept = [c for c in self.detail(work_id).contributors if c.role != "author"]
            self._set_contributors(work_id, [Contributor(n) for n in value] + kept)  # type: ignore[union-attr]
        elif field == "narrators":  # narrator contributions, after everyone else's
            kept = [c for c in self.detail(work_id).contributors if c.role != "narrator"]
            self._set_contributors(work_id, kept + [Contributor(n, "narrator") for n in value])  # type: ignore[union-attr]
        elif field == "people":
            self._set_people(work_id, value)  # type: ignore[arg-type]
        elif field == "series":
            self._set_series(work_id, [SeriesRef(**s) for s in value])  # type: ignore[union-attr]
        elif field == "tags":
            self._set_tags(work_id, list(value))  # type: ignore[call-overload]
        elif field == "identifiers":
            self._set_identifiers(work_id, dict(value))  # type: ignore[call-overload]
        self.refresh([work_id])

    def _author_id(self, name: str, sort_name: str = "") -> int:
        existing = self.session.execute(select(Author.id).where(Author.name == name)).scalar()
        if existing is not None:
            return existing
        author = Author(name=name, sort_name=sort_name or author_sort(name), provider_ids="{}", monitored=False)
        self.session.add(author)
        self.session.flush()
        return author.id

    def _set_contributors(self, work_id: int, contributors: Sequence[Contributor]) -> None:
        self.session.execute(delete(Contribution).where(Contribution.work_id == work_id))
        seen: set[tuple[int, str]] = set()
        for position, person in enumerate(contributors):
            author_id = self._author_id(person.name, person.sort_name)
            if (author_id, person.role) in seen:
                continue
            seen.add((author_id, person.role))
            self.session.add(Contribution(work_id=work_id, author_id=author_id, role=person.role,
                                          position=position))
        self.session.flush()

    def _set_people(self, work_id: int, people: Sequence[dict[str, str]]) -> None:
        """Everyone of a book, in order. A sort name is the person's, not the book's: a new one re-sorts
        every book of theirs, as calibre's author sort does."""
        resorted: set[int] = set()
        for person in people:
            author = self.session.execute(select(Author).where(Author.name == person["name"])).scalar()
            if author is not None and person["sort_name"] and author.sort_name != person["sort_name"]:
                author.sort_name = person["sort_name"]
                resorted.update(self.session.execute(
                    select(Contribution.work_id).where(Contribution.author_id == author.id)).scalars())
        self._set_contributors(work_id, [Contributor(p["name"], p["role"], p["sort_name"]) for p in people])
        if resorted - {work_id}:
            self.refresh(sorted(resorted - {work_id}))

    def _set_series(self, work_id: int, series: Sequence[SeriesRef]) -> None:
        # A series the book is in keeps it (it may be in one with other authors' books, put there by hand);
        # another name means the series of this book's authors (series_identity), unless the value names
        # its series exactly (books put in one series by hand together: chosen_series).
        kept = dict(self.session.execute(select(Series.name, Series.id).join(
            SeriesEntry, SeriesEntry.series_id == Series.id).where(SeriesEntry.work_id == work_id)).all())
        self.session.execute(delete(SeriesEntry).where(SeriesEntry.work_id == work_id))
        authors = self.session.execute(
            select(Author.name).join(Contribution, Contribution.author_id == Author.id)
            .where(Contribution.work_id == work_id, Contribution.role == "author")).scalars().all()
        resolver = SeriesResolver(self.session)
        seen: set[int] = set()
        for ref in series:
            series_id = ref.series_id or kept.get(ref.name) or resolver.series_id(ref.name, authors)[0]
            if series_id in seen:
                continue
            seen.add(series_id)
            found = position_of(ref.label, ref.sort_key)
            start, end = found.start, found.end
            self.session.add(SeriesEntry(series_id=series_id, work_id=work_id, label=found.label or ref.label,
                                         sort_key=start, sort_key_end=end))
        self.session.flush()

    def _set_identifiers(self, work_id: int, identifiers: dict[str, str]) -> None:
        self.session.execute(delete(Identifier).where(Identifier.work_id == work_id))
        for scheme, value in identifiers.items():
            if value:
                self.session.add(Identifier(work_id=work_id, scheme=scheme, value=value))
        self.session.flush()

    def _set_tags(self, work_id: int, tags: Sequence[str]) -> None:
        self.session.execute(delete(Tag).where(Tag.work_id == work_id))
        for tag in dict.fromkeys(t.strip() for t in tags if t.strip()):
            self.session.add(Tag(work_id=work_id, tag=tag))
        self.session.flush()
