"""Remove from Library and Remove Format: the catalog rows go, and the files go to the system trash
unless the person keeps them.

One book at a time: its files go to the trash first, then its rows leave the catalog in one
transaction that also keeps what undo needs (``removals``). A file that cannot go (read-only folder or
disk, no permission) leaves that whole book as it was (any of its files already trashed come back)
and the batch goes on. A failure writing the catalog puts the book's files back before it is raised,
so the catalog never lists a file the trash took, nor loses a book whose rows stayed.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path, PurePosixPath

from sqlalchemy import delete, select

from bookdesk.core.importer.placement import leaves_library, prune_empty_folders
from bookdesk.core.removal.report import Failure, RemovalReport
from bookdesk.core.removal.trash import TrashedFile, put_back, send_to_trash
from bookdesk.data import work_snapshot
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import File, Work
from bookdesk.data.removal_repository import RemovalRepository
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import NotFoundError

log = logging.getLogger(__name__)

# The covers BookDesk writes beside a book (core/identify/covers.py): "cover.jpg", "cover (2).png",
# "cover-provider.jpg".
_COVER_NAME = re.compile(r"cover(-provider)?( \(\d+\))?\.(jpe?g|png|gif|webp)", re.IGNORECASE)


def remove_books(catalog: Catalog, work_ids: list[int], *, keep_files: bool, correlation_id: str) -> RemovalReport:
    report = RemovalReport(correlation_id, "remove")
    with catalog.read() as session:
        books = {w.id: w for w in session.execute(select(Work).where(Work.id.in_(work_ids))).scalars()}
        paths = {w: [p for p in session.execute(select(File.path).where(File.work_id == w)).scalars()] for w in books}
        covers = {w.id: w.cover_path for w in books.values() if w.cover_path}
        titles = {w.id: w.title for w in books.values()}
    for work_id in work_ids:
        if work_id not in books:
            report.failures.append(Failure(work_id, "", f"There is no book with id {work_id} in this library."))
            continue
        files = paths[work_id] + _covers_going(catalog, work_id, covers.get(work_id))
        trashed = [] if keep_files else _trash_all(catalog.folder, files, work_id, titles[work_id], report)
        if trashed is None:
            continue
        try:
            with catalog.write() as session:
                snapshot = work_snapshot.capture(session, [work_id])
                WorkRepository(session).delete([work_id])
                RemovalRepository(session).add(correlation_id, "remove", snapshot, [t.as_dict() for t in trashed])
        except Exception:
            _untrash(trashed)
            raise
        report.works.append(work_id)
        report.files_trashed += [t.path for t in trashed if t.path in paths[work_id]]
        report.files_kept += paths[work_id] if keep_files else []
        _prune(catalog.folder, trashed)
    log.info("removed %d books (%d files to the trash, %d kept on disk), %d left as they were", len(report.works),
             len(report.files_trashed), len(report.files_kept), len(report.failures))
    return report


def remove_format(catalog: Catalog, work_id: int, file_id: int, *, keep_file: bool,
                  correlation_id: str) -> RemovalReport:
    """One file of a book out of the catalog (to the trash unless kept); the book stays."""
    report = RemovalReport(correlation_id, "remove-format")
    with catalog.read() as session:
        work = session.get(Work, work_id)
        row = session.get(File, file_id)
        if work is None or row is None or row.work_id != work_id:
            raise NotFoundError(f"Book {work_id} has no file {file_id} (it was removed or moved since).")
        title, path = work.title, row.path
    trashed = [] if keep_file else _trash_all(catalog.folder, [path], work_id, title, report)
    if trashed is None:
        return report
    try:
        with catalog.write() as session:
            snapshot = work_snapshot.capture_files(session, [file_id])
            session.execute(delete(File).where(File.id == file_id))
            WorkRepository(session).refresh([work_id])
            RemovalRepository(session).add(correlation_id, "remove-format", snapshot, [t.as_dict() for t in trashed])
    except Exception:
        _untrash(trashed)
        raise
    (report.files_kept if keep_file else report.files_trashed).append(path)
    _prune(catalog.folder, trashed)
    return report


def _covers_going(catalog: Catalog, work_id: int, cover: str | None) -> list[str]:
    """The covers that go with a book (to the trash too, so an undo shows them again): its own unless
    another book shows the same file (a split-out format's book does), and the older covers in its folder
    that no book shows or lists any more (a cover chosen by hand, then undone), so no folder is left
    holding only those."""
    folders = {PurePosixPath(cover).parent} if cover else set()
    with catalog.read() as session:
        folders |= {PurePosixPath(p).parent for p in session.execute(select(File.path)
                                                                     .where(File.work_id == work_id)).scalars()}
        candidates = [cover] if cover else []
        for folder in (f for f in folders if not f.is_absolute()):  # not another program's folder
            place = catalog.folder.joinpath(*folder.parts)
            if place.is_dir():
                candidates += sorted((folder / p.name).as_posix() for p in place.iterdir()
                                     if p.is_file() and _COVER_NAME.fullmatch(p.name) and (folder / p.name).as_posix() != cover)
        going = []
        for candidate in dict.fromkeys(candidates):
            shown = session.execute(select(Work.id).where(Work.cover_path == candidate, Work.id != work_id)).first()
            listed = session.execute(select(File.id).where(File.path == candidate)).first()
            if shown is None and listed is None:
                going.append(candidate)
    return going


def _trash_all(library: Path, relatives: list[str], work_id: int, title: str,
               report: RemovalReport) -> list[TrashedFile] | None:
    """Every file of one book to the trash, or none of them (None, and the failure noted)."""
    trashed: list[TrashedFile] = []
    for relative in relatives:
        if PurePosixPath(relative).is_absolute():
            continue  # another program's file the catalog points at (calibre's, kept in place): never trashed
        place = library.joinpath(*relative.split("/"))
        if not place.exists() and not place.is_symlink():
            continue  # gone from the disk already: nothing to trash, its rows still go
        try:
            if leaves_library(place, library):
                raise PermissionError(f"{relative} is reached through a link that leads out of the library, "
                                      "and BookDesk never moves files through such links")
            trashed.append(send_to_trash(library, relative))
        except OSError as exc:
            why = exc.strerror or str(exc)
            log.warning("not removed: %s could not go to the trash: %s", relative, why, extra={"work_id": work_id})
            report.failures.append(Failure(work_id, title, f"“{title}” was not removed: {place} could not be moved "
                                                           f"to the trash ({why})."))
            _untrash(trashed)
            return None
    return trashed


def _untrash(trashed: list[TrashedFile]) -> None:
    for entry in trashed:
        if (why := put_back(entry)) is not None:
            log.error("a file of a book left as it was is still in the trash: %s", why)


def _prune(library: Path, trashed: list[TrashedFile]) -> None:
    for entry in trashed:
        prune_empty_folders(Path(entry.original).parent, library)
