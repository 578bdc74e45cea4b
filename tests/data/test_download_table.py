"""The downloads table in plain SQL (data/download_table.py) stores what the ORM stored, value for value and
type for type, and reads back what the ORM reads: a row written by ``bookdesk fetch --no-import`` without
SQLAlchemy is the same row the window's queue would have written, and each reads the other's."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path

import pytest

from bookdesk.data.catalog import open_catalog
from bookdesk.data.catalog_file import CATALOG_NAME
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.data.download_table import COLUMNS, DownloadDraft, DownloadTable, now
from bookdesk.data.models import Download
from bookdesk.data.plain_catalog import open_plain
from bookdesk.errors import NotFoundError

DRAFT = DownloadDraft(url="https://user:hunter2@books.example/a%20b.epub?apikey=s3cret", source="direct",
                      title="A B", expected_format="epub", media_kind="ebook", import_after=False, indexer="idx",
                      guid="g-1", correlation_id="BD-ABCDE", file_name="a b.epub")
CHANGES: list[dict[str, object]] = [
    {"part_path": ".downloads/1.part", "state": "running", "attempts": 1, "next_retry_at": None},
    {"bytes_total": 4096, "validator": '"etag-1"', "file_name": "a b.epub", "bytes_done": 0},
    {"state": "queued", "last_error": "429 from https://books.example/?apikey=s3cret",
     "next_retry_at": datetime(2026, 12, 7, 23, 59, 1, 250000), "bytes_done": 1024},
    {"state": "completed", "path": ".downloads/a b.epub", "bytes_done": 4096, "media_kind": "ebook",
     "last_error": None, "import_after": True, "work_id": None},
]
STAMPS = ("created_at", "updated_at")


def orm_add_and_update(session, draft: DownloadDraft, changes: list[dict[str, object]]) -> int:
    """A row written as DownloadRepository wrote it through the ORM before it ran plain SQL."""
    from bookdesk.data.download_table import _storable

    stamp = now()
    row = Download(**_storable({f.name: getattr(draft, f.name) for f in fields(draft)}), bytes_done=0, attempts=0,
                   created_at=stamp, updated_at=stamp)
    session.add(row)
    session.flush()
    for values in changes:
        for name, value in _storable(values).items():
            setattr(row, name, value)
        row.updated_at = now()
        session.flush()
    return row.id


def stored(path: Path, download_id: int) -> dict[str, tuple[object, str]]:
    """Each column of the row as the file holds it: its value and SQLite's type of it."""
    connection = sqlite3.connect(path)
    try:
        picks = ", ".join(f"{c}, typeof({c})" for c in COLUMNS)
        row = connection.execute(f"SELECT {picks} FROM downloads WHERE id = ?", (download_id,)).fetchone()
    finally:
        connection.close()
    return {c: (row[2 * i], row[2 * i + 1]) for i, c in enumerate(COLUMNS)}


def test_the_columns_are_the_models(library_dir: Path) -> None:
    assert set(COLUMNS) == {c.name for c in Download.__table__.columns}


def test_a_row_written_plainly_is_stored_as_the_orm_stored_it_column_by_column(library_dir: Path) -> None:
    catalog = open_catalog(library_dir)
    with catalog.write() as session:
        orm_id = orm_add_and_update(session, DRAFT, CHANGES)
    catalog.close()
    plain = open_plain(library_dir)
    assert plain is not None
    try:
        with plain.write() as connection:
            table = DownloadTable(connection)
            plain_id = table.add(DRAFT)
            for values in CHANGES:
                table.update(plain_id, **values)
    finally:
        plain.close()

    orm_row, plain_row = stored(library_dir / CATALOG_NAME, orm_id), stored(library_dir / CATALOG_NAME, plain_id)
    assert plain_id == orm_id + 1
    for column in COLUMNS:
        if column == "id":
            continue
        if column in STAMPS:  # written a moment apart: the same form, not the same instant
            assert plain_row[column][1] == orm_row[column][1] == "text"
            assert len(plain_row[column][0]) == len(orm_row[column][0]) == len("2026-12-07 23:59:01.250000")
            continue
        assert plain_row[column] == orm_row[column], column
    assert orm_row["url"][0] == "https://books.example/a%20b.epub"  # no login in the file, either way
    assert orm_row["next_retry_at"] == ("2026-12-07 23:59:01.250000", "text")


def test_each_reads_what_the_other_wrote_as_the_orm_reads_it(library_dir: Path) -> None:
    catalog = open_catalog(library_dir)
    with catalog.write() as session:
        orm_id = orm_add_and_update(session, DRAFT, CHANGES[:3])
        plain_id = DownloadTable(session.connection().connection.driver_connection).add(DRAFT)
    with catalog.read() as session:
        read = {i: DownloadRepository(session).get(i) for i in (orm_id, plain_id)}
        by_orm = {i: {name: getattr(session.get(Download, i), name) for name in asdict(read[i])} for i in read}
    catalog.close()
    for download_id, record in read.items():
        for name, value in asdict(record).items():
            expected = by_orm[download_id][name]
            assert value == (bool(expected) if name == "import_after" else expected), (download_id, name)
        assert isinstance(record.updated_at, datetime) and isinstance(record.created_at, datetime)
    assert read[orm_id].next_retry_at == datetime(2026, 12, 7, 23, 59, 1, 250000)


def test_the_queries_answer_alike_over_the_plain_connection_and_the_session(library_dir: Path) -> None:
    catalog = open_catalog(library_dir)
    with catalog.write() as session:
        repo = DownloadRepository(session)
        ids = [repo.add(DownloadDraft(url=f"https://books.example/{n}.epub", source="direct", guid=f"g{n % 2}",
                                      indexer="idx", correlation_id=f"BD-{n % 3:05d}")) for n in range(6)]
        repo.update(ids[1], state="paused")
        repo.update(ids[2], state="failed", last_error="gone")
        repo.update(ids[3], state="running")
        repo.delete(ids[5])
    with catalog.read() as session:
        repo = DownloadRepository(session)
        by_session = (repo.active("http"), repo.recent(), repo.by_guid("idx", "g0"), repo.by_guid(None, "g1"),
                      repo.uses_url("https://books.example/2.epub"), repo.others_with_ref("BD-00000", ids[0]),
                      repo.find(ids[5]))
    catalog.close()
    plain = open_plain(library_dir)
    assert plain is not None
    try:
        with plain.read() as connection:
            table = DownloadTable(connection)
            by_plain = (table.active("http"), table.recent(), table.by_guid("idx", "g0"), table.by_guid(None, "g1"),
                        table.uses_url("https://books.example/2.epub"), table.others_with_ref("BD-00000", ids[0]),
                        table.find(ids[5]))
            with pytest.raises(NotFoundError):
                table.get(ids[5])
    finally:
        plain.close()
    assert by_plain == by_session
    assert [r.id for r in by_plain[0]] == [ids[0], ids[1], ids[3], ids[4]]
    assert by_plain[4:] == (True, True, None)


def test_an_unknown_column_or_state_is_refused_before_anything_is_written(library_dir: Path) -> None:
    open_catalog(library_dir).close()
    plain = open_plain(library_dir)
    assert plain is not None
    try:
        with plain.write() as connection:
            table = DownloadTable(connection)
            download_id = table.add(DRAFT)
        with pytest.raises(ValueError, match="no column"), plain.write() as connection:
            DownloadTable(connection).update(download_id, colour="red")
        with pytest.raises(ValueError, match="Unknown download state"), plain.write() as connection:
            DownloadTable(connection).update(download_id, state="lost")
        with pytest.raises(NotFoundError), plain.write() as connection:
            DownloadTable(connection).update(download_id + 1, state="failed")
        with plain.read() as connection:
            assert DownloadTable(connection).get(download_id).state == "queued"
    finally:
        plain.close()
