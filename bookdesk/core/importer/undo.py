"""Undoing an import: the works it added are removed, the formats it attached are taken off, and
moved files go back where they came from. Files are dealt with before the catalog, so a crash
midway leaves at worst a catalog entry whose file is back at its source, never a lost book."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select

from bookdesk.core.importer.placement import prune_empty_folders
from bookdesk.data.catalog import Catalog
from bookdesk.data.import_repository import ImportRepository
from bookdesk.data.models import File, Work
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import NotFoundError

log = logging.getLogger(__name__)


@dataclass
class UndoReport:
    correlation_id: str
    works_removed: int = 0
    files_removed: int = 0
    files_restored: int = 0  # moved files put back at their source
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.works_removed} books removed, {self.files_removed} files taken out of the library"
        if self.files_restored:
            text += f", {self.files_restored} put back where they came from"
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
    with catalog.read() as session:
        still_there = set(session.execute(
            select(File.id).where(File.id.in_({r.file_id for r in placed}))).scalars())
        created = {r.work_id for r in placed if r.created_work}
        covers = [c for c in session.execute(select(Work.cover_path).where(Work.id.in_(created))).scalars() if c]
    for record in placed:
        if record.file_id not in still_there:
            continue  # removed from the library since; nothing of it to take out
        library_file = catalog.folder / record.target_path
        try:
            if record.mode == "move":
                _put_back(library_file, Path(record.source_path))
                report.files_restored += 1
            else:
                library_file.unlink(missing_ok=True)
            report.files_removed += 1
        except OSError as exc:
            report.problems.append(f"{library_file}: {exc.strerror or exc}")
            log.warning("undo import: cannot take out %s: %s", library_file, exc)
            continue
        prune_empty_folders(library_file.parent, catalog.folder)
    for cover in covers:
        cover_file = catalog.folder / cover
        cover_file.unlink(missing_ok=True)
        prune_empty_folders(cover_file.parent, catalog.folder)
    with catalog.write() as session:
        repo = WorkRepository(session)
        session.execute(delete(File).where(File.id.in_(still_there)))
        repo.delete(created)
        report.works_removed = len(created)
        attached = {r.work_id for r in placed if not r.created_work} - created
        remaining = set(session.execute(select(Work.id).where(Work.id.in_(attached))).scalars())
        repo.refresh(remaining)
        ImportRepository(session).forget_sources(correlation_id)
    return report


def _put_back(library_file: Path, source: Path) -> None:
    """Move a file back to where a move import took it from, never over another file."""
    target = source
    n = 2
    while target.exists():
        target = source.with_name(f"{source.stem} (restored{'' if n == 2 else f' {n - 1}'}){source.suffix}")
        n += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(library_file, target)
    except OSError:
        shutil.move(str(library_file), target)  # another disk: copy, then delete
