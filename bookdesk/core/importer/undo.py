"""Undoing an import: the works it added are removed, the formats it attached are taken off, and
moved files go back where they came from. Files are dealt with before the catalog, so a crash
midway leaves at worst a catalog entry whose file is back at its source, never a lost book.

Undo never destroys the last copy of a book. A copy (or hard link) is taken out of the library
only when its original is still at the recorded absolute place with the bytes it had at the
import, and the library's copy was not edited since; otherwise the file and its catalog entry
stay, as a calibre or Readarr user would expect (a file in the library folder that the catalog
no longer lists is a book nobody can find), and the report says which were kept and why. Nothing
is deleted or moved through a link that leads out of the library."""

from __future__ import annotations

import errno
import logging
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select

from bookdesk.core.file_hash import sha256_of
from bookdesk.core.importer.checked_copy import copy_checked
from bookdesk.core.importer.placement import IN_PLACE, leaves_library, prune_empty_folders
from bookdesk.core.temp_ledger import note_temp_folder
from bookdesk.data.catalog import Catalog
from bookdesk.data.import_repository import ImportRepository, SourceRecord
from bookdesk.data.models import File, Work
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import NotFoundError

log = logging.getLogger(__name__)

# What the temporary name of a book being put back on another disk looks like, for the sweep at open
# (core/temp_sweep.py); it is made beside the place the book goes back to, outside the library.


@dataclass
class UndoReport:
    correlation_id: str
    works_removed: int = 0
    files_removed: int = 0
    files_restored: int = 0  # moved files put back at their source
    files_kept: int = 0  # left in the library (and the catalog): taking them out would have lost something
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.works_removed} books removed, {self.files_removed} files taken out of the library"
        if self.files_restored:
            text += f", {self.files_restored} put back where they came from"
        if self.files_kept:
            text += (f", {self.files_kept} kept in the library (taking them out would have lost the only copy, "
                     "or changes made since)")
        if self.problems:
            text += f"; {len(self.problems)} problems"
        return text


def undo_import(catalog: Catalog, correlation_id: str) -> UndoReport:
    with catalog.read() as session:
        records = ImportRepository(session).sources_of(correlation_id)
    placed = [r for r in records if r.target_path is not None and r.file_id is not None]
    if not records:
        raise NotFoundError(f"There is no import {correlation_id} to undo (or it was undone already).")
    report = UndoReport(correlation_id)
    books: dict[int, list[SourceRecord]] = {}  # library file -> its parts, in order
    for record in placed:
        books.setdefault(record.file_id, []).append(record)
    with catalog.read() as session:
        still_there = set(session.execute(select(File.id).where(File.id.in_(set(books)))).scalars())
    kept = _only_files_left(catalog, books, still_there, report)
    for file_id, parts in books.items():
        if file_id not in still_there or file_id in kept:
            continue  # removed from the library since, or staying; nothing of it to take out
        if parts[0].mode == IN_PLACE:
            continue  # another program's file the catalog only pointed at (calibre's): never touched
        reason = _reason_to_keep(catalog.folder, parts)
        if reason is not None:
            kept.add(file_id)
            report.files_kept += len(parts)
            report.problems.append(reason)
            log.warning("undo import: kept %s: %s", parts[0].target_path, reason)
            continue
        if not all([_take_out(catalog.folder, record, report) for record in parts]):
            kept.add(file_id)  # still (partly) in the library: its catalog entry stays with it
    removed = still_there - kept
    # A book made with no file (a calibre book of metadata alone) has a source without a target.
    made = {r.work_id for r in records if r.created_work and (r.target_path is None or r.file_id is not None)}
    created = made - {r.work_id for r in placed if r.file_id in kept}
    in_place = {r.work_id for r in records if r.mode == IN_PLACE}
    with catalog.read() as session:
        covers = [c for c in session.execute(select(Work.cover_path).where(Work.id.in_(created - in_place)))
                  .scalars() if c]
    for cover in covers:
        cover_file = catalog.folder / cover
        if leaves_library(cover_file, catalog.folder):
            continue
        cover_file.unlink(missing_ok=True)
        prune_empty_folders(cover_file.parent, catalog.folder)
    with catalog.write() as session:
        repo = WorkRepository(session)
        session.execute(delete(File).where(File.id.in_(removed)))
        repo.delete(created)
        report.works_removed = len(created)
        attached = {r.work_id for r in placed if not r.created_work} - created
        kept_works = {r.work_id for r in placed if r.file_id in kept and r.created_work}
        remaining = set(session.execute(select(Work.id).where(Work.id.in_(attached | kept_works))).scalars())
        repo.refresh(remaining)
        ImportRepository(session).forget_sources(correlation_id)
    return report


def _only_files_left(catalog: Catalog, books: dict[int, list[SourceRecord]], still_there: set[int],
                     report: UndoReport) -> set[int]:
    """A format a calibre run added to a book already here stays when it is all the book has left (calibre
    dropped the others in the same run, and their files are gone): taking it out would leave a book with no
    file though calibre has one. Said in the report."""
    added = {file_id: parts[0] for file_id, parts in books.items()
             if file_id in still_there and parts[0].mode == IN_PLACE and not parts[0].created_work}
    if not added:
        return set()
    with catalog.read() as session:
        rows = session.execute(select(File.id, File.work_id).where(
            File.work_id.in_({r.work_id for r in added.values()}))).all()
    others = {work_id for file_id, work_id in rows if file_id not in added}
    staying = {file_id for file_id, record in added.items() if record.work_id not in others}
    report.problems += [f"{Path(added[file_id].target_path).name} was kept: it is the only file of its book that "
                        "calibre still has." for file_id in sorted(staying)]
    return staying


def _take_out(library: Path, record: SourceRecord, report: UndoReport) -> bool:
    """Delete or move back one library file of the import; False (and the problem noted) if it stayed."""
    library_file = library / record.target_path
    try:
        if record.mode == "move":
            _put_back(library, library_file, Path(record.source_path))
            report.files_restored += 1
        else:
            library_file.unlink(missing_ok=True)
        report.files_removed += 1
    except OSError as exc:
        report.problems.append(f"{library_file}: {exc.strerror or exc}")
        log.warning("undo import: cannot take out %s: %s", library_file, exc)
        return not library_file.exists()
    prune_empty_folders(library_file.parent, library)
    return True


def _reason_to_keep(library: Path, parts: list[SourceRecord]) -> str | None:
    """Why this library file must stay, in words for the person; None when taking it out loses nothing."""
    name = parts[0].target_path
    if any(leaves_library(library / r.target_path, library) for r in parts):
        return (f"{name} was kept: it is reached through a link that leads out of the library, and BookDesk "
                "never deletes or moves files through such links.")
    relative = next((r.source_path for r in parts if not Path(r.source_path).is_absolute()), None)
    if relative is not None:
        # Catalogs from before sources were stored absolute: the folder it was relative to is unknown,
        # and restoring into a guessed place (or deleting against a guessed original) could lose the book.
        return (f"{name} was kept in the library: it came from {relative!r}, a relative path recorded by an "
                "older version of BookDesk, so where it came from is not known for sure. Move or delete it by "
                "hand if you want it out.")
    if parts[0].mode == "move":
        return None  # the file itself goes back; nothing is deleted
    sources = [Path(r.source_path) for r in parts]
    try:
        if any(src.stat().st_size != r.size for src, r in zip(sources, parts, strict=True)) \
                or sha256_of(sources) != parts[0].content_hash:
            return (f"{name} was kept in the library: its original at {sources[0]} has changed since the "
                    "import, so the library's copy may be the only one of the book as it was imported.")
    except FileNotFoundError:
        return (f"{name} was kept in the library: its original at {sources[0]} no longer exists, so this is "
                "the only copy.")
    except OSError as exc:
        return f"{name} was kept in the library: its original at {sources[0]} cannot be read ({exc.strerror})."
    try:
        edited = sha256_of([library / r.target_path for r in parts]) != parts[0].content_hash
    except FileNotFoundError:
        return None  # gone from the library already: nothing to keep
    if edited:
        return (f"{name} was kept in the library: it was edited since the import (its metadata written, say), "
                "and those changes exist nowhere else.")
    return None


def _put_back(library: Path, library_file: Path, source: Path) -> None:
    """Move a file back to where a move import took it from, never over another file."""
    target = source
    n = 2
    while target.exists():
        target = source.with_name(f"{source.stem} (restored{'' if n == 2 else f' {n - 1}'}){source.suffix}")
        n += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(library_file, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    # Another disk: the checked copy the import uses (under a hidden name, flushed, its size and hash
    # compared with the library's file, then renamed), and only then is the library's file deleted: a
    # kill or a failing disk midway never leaves a half-written book under its name, nor loses the one
    # whole copy.
    note_temp_folder(library, target.parent)  # swept at the next open if a kill leaves it
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.restoring")  # temp_names.RESTORING_NAME
    copy_checked(library_file, temp, target, expected_hash=sha256_of([library_file]), keep_times=True,
                 kill_point="undo.after_temp_copy")
    library_file.unlink()
