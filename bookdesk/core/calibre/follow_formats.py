"""Keeping a book's formats in step with calibre's, for a book kept in place: a format calibre added since
the last run becomes a file of the book where calibre keeps it, and one calibre dropped leaves the catalog.
calibre's files are never touched either way.

Both undo by the run's Ref as any import and removal do: the added file is recorded as an import source
that attached a format (``importer/undo.py`` takes the row out and leaves the file, kept in place), the
dropped one as a format removal with nothing in the trash (``removal/restore.py`` lists it again).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bookdesk.core.calibre.plan import IN_PLACE, CalibreItem, book_format
from bookdesk.data import work_snapshot
from bookdesk.data.import_repository import ImportRepository, SourceRecord
from bookdesk.data.models import File
from bookdesk.data.removal_repository import RemovalRepository
from bookdesk.data.work_repository import now


def follow_formats(session: Session, item: CalibreItem, folder: Path, correlation_id: str,
                   rows: list[File] | None = None, listed: set[str] | None = None) -> bool:
    """Add the formats calibre added to ``item``'s book, take out the ones it dropped (its files in
    ``folder``, calibre's library, only); whether the book's files changed. ``rows`` (the book's files) and
    ``listed`` (calibre's paths the catalog lists), read for a whole batch, or here when not given."""
    if rows is None:
        rows = list(session.execute(select(File).where(File.work_id == item.work_id)).scalars())
    calibres = {fmt.path.as_posix(): fmt for fmt in item.book.formats}
    dropped = [row.id for row in rows if Path(row.path).is_absolute() and Path(row.path).is_relative_to(folder)
               and row.path not in calibres]
    if listed is None:
        listed = set(session.execute(select(File.path).where(File.path.in_(list(calibres)))).scalars())
    listed = listed | {row.path for row in rows}
    # A format the book has a file of already (imported from its files, or copied) is not added twice.
    held = {row.format.lower() for row in rows if row.id not in dropped}
    added = [fmt for path, fmt in calibres.items() if path not in listed and book_format(fmt).name.lower() not in held]
    if dropped:
        snapshot = work_snapshot.capture_files(session, dropped)
        session.execute(delete(File).where(File.id.in_(dropped)))
        RemovalRepository(session).add(correlation_id, "remove-format", snapshot, [])
    if added:
        made = [File(work_id=item.work_id, format=book_format(fmt).name, media_kind=book_format(fmt).media_kind,
                     path=fmt.path.as_posix(), size=fmt.size, mtime=fmt.mtime_ns / 1e9, content_hash="",
                     source_path=str(fmt.path), added_at=now()) for fmt in added]
        session.add_all(made)
        session.flush()
        ImportRepository(session).record_sources(
            [SourceRecord(str(fmt.path), row.path, fmt.size, fmt.mtime_ns, "", item.work_id,  # type: ignore[arg-type]
                          row.id, False, IN_PLACE, correlation_id) for fmt, row in zip(added, made, strict=True)])
    return bool(dropped or added)
