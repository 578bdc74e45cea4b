"""Keeping a copied or linked book's formats in step with calibre's (``follow_formats.py`` does it for a book
kept in place): a format calibre added since the last run is copied (or hard-linked) into the library with its
template, as the first run laid the others out; one calibre dropped goes to the system trash with Remove
Format's record; one calibre moved (a book's folder follows its title and authors) is the same file here, and
only where it came from is noted again. Which of the library's files came from calibre, and from where, is
each file's ``source_path``.

All of it undoes by the run's Ref: an added copy is an import source that attached a format
(``importer/undo.py`` takes it out), a dropped one a format removal whose file the undo takes back from the
trash. A copy is journaled before it is placed, as any import's, so a kill in between leaves nothing behind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select, update

from bookdesk.core.calibre.plan import CalibreItem, CalibrePlan, book_format
from bookdesk.core.file_hash import sha256_of
from bookdesk.core.importer.placement import Placer
from bookdesk.core.importer.plan import destination, make_unique
from bookdesk.core.importer.reading import ReadResult
from bookdesk.core.importer.units import BookUnit
from bookdesk.core.removal.remove_books import remove_format
from bookdesk.data.catalog import Catalog
from bookdesk.data.import_repository import ImportRepository, SourceRecord
from bookdesk.data.models import File
from bookdesk.data.work_repository import WorkRepository, now
from bookdesk.errors import BookDeskError

_CHUNK = 900


def follow_copies(catalog: Catalog, items: Sequence[CalibreItem], plan: CalibrePlan, correlation_id: str,
                  template: str) -> list[str]:
    """Copy, link, move or trash the formats of ``items``' books as calibre has them now; the problems met
    (a file that could not be copied or trashed: that format alone stays as it was)."""
    adds, drops, moved = _changes(catalog, items, plan.folder)
    problems = _add(catalog, adds, plan, correlation_id, template) if adds else []
    if moved:
        with catalog.write() as session:
            for file_id, source in moved:
                session.execute(update(File).where(File.id == file_id).values(source_path=source))
    for work_id, file_id in drops:
        try:
            report = remove_format(catalog, work_id, file_id, keep_file=False, correlation_id=correlation_id)
        except BookDeskError as exc:
            problems.append(f"A format calibre dropped stays: {exc.message}")
            continue
        problems += [f"A format calibre dropped stays: {failure.reason}" for failure in report.failures]
    return problems


def _changes(catalog: Catalog, items: Sequence[CalibreItem], folder: Path) -> tuple[list, list, list]:
    """(item, format) to add, (work, file) to drop, (file, calibre's new path) moved: each book's files that
    came from ``folder`` against calibre's formats now."""
    works = [item.work_id for item in items]
    files: dict[int, list] = defaultdict(list)
    with catalog.read() as session:
        for start in range(0, len(works), _CHUNK):
            for row in session.execute(select(File.id, File.work_id, File.path, File.source_path, File.format)
                                       .where(File.work_id.in_(works[start:start + _CHUNK]))):
                files[row.work_id].append(row)
    adds, drops, moved = [], [], []
    for item in items:
        mine = files.get(item.work_id, [])  # type: ignore[arg-type]
        calibres = {fmt.path.as_posix(): fmt for fmt in item.book.formats}
        ours = [r for r in mine if not Path(r.path).is_absolute() and r.source_path
                and Path(r.source_path).is_relative_to(folder)]
        gone = [r for r in ours if Path(r.source_path).as_posix() not in calibres]
        known = {Path(r.source_path).as_posix() for r in mine if r.source_path}
        new = [fmt for path, fmt in calibres.items() if path not in known]
        for fmt in list(new):  # calibre moved its folder: the same format somewhere else is the file here
            same = next((r for r in gone if r.format.lower() == book_format(fmt).name.lower()), None)
            if same is not None:
                moved.append((same.id, str(fmt.path)))
                gone.remove(same)
                new.remove(fmt)
        held = {r.format.lower() for r in mine if r not in gone}
        adds += [(item, fmt) for fmt in new if book_format(fmt).name.lower() not in held]
        drops += [(item.work_id, r.id) for r in gone]
    return adds, drops, moved


def _add(catalog: Catalog, adds: list, plan: CalibrePlan, correlation_id: str, template: str) -> list[str]:
    """Lay each new format out with the template, journaled, then list it as a file of its book."""
    with catalog.read() as session:
        taken = set(session.execute(select(File.path)).scalars())
    planned = []
    for item, fmt in adds:
        unit = BookUnit((fmt.path,), book_format(fmt), fmt.path.parent)
        target, _ = destination(template, ReadResult(unit, metadata=item.metadata))
        target, _ = make_unique(target, (target,), taken, catalog.folder, False)
        taken.add(target)
        planned.append((item, fmt, target))
    placer = Placer(catalog.folder, "link" if plan.mode == "link" else "copy")
    with catalog.write() as session:
        journal = ImportRepository(session).journal([(t, str(f.path)) for _, f, t in planned], correlation_id)
    placed, problems = [], []
    for item, fmt, target in planned:
        try:
            placer.place(fmt.path, target)
            placed.append((item, fmt, target))
        except BookDeskError as exc:
            problems.append(f"{item.title}: its {fmt.format.upper()} calibre added was not copied: {exc.message}")
    try:
        with catalog.write() as session:
            _record(session, placed, plan.mode, correlation_id, catalog.folder)
            ImportRepository(session).clear_journal(journal)
    except Exception:
        placer.remove(t for _, _, t in placed)  # refused: nothing of it may stay in the library
        with catalog.write() as session:
            ImportRepository(session).clear_journal(journal)
        raise
    return problems


def _record(session, placed: list, mode: str, correlation_id: str, root: Path) -> None:  # noqa: ANN001 - Session
    made = []
    for item, fmt, target in placed:
        kind, stat = book_format(fmt), (root / target).stat()
        made.append((item, fmt, File(work_id=item.work_id, format=kind.name, media_kind=kind.media_kind, path=target,
                                     size=stat.st_size, mtime=stat.st_mtime_ns / 1e9, source_path=str(fmt.path),
                                     content_hash=sha256_of([root / target]), added_at=now())))
    session.add_all([row for _, _, row in made])
    session.flush()
    ImportRepository(session).record_sources(
        [SourceRecord(str(fmt.path), row.path, row.size, int(row.mtime * 1e9), row.content_hash, item.work_id,
                      row.id, False, mode, correlation_id) for item, fmt, row in made])
    WorkRepository(session).refresh({item.work_id for item, _, _ in placed})
