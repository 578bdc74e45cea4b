"""Arrival: files a download brought, imported into the library and linked to the wanted work.

Used by the download queue for what it fetched and by the download clients for a completed
torrent. The files go through the ordinary import pipeline (so a download is matched, named
and placed like any other book, and can be undone like any import); then, when the download
was for a wanted work, the book and the placeholder are brought together (``wanted_link``).

``import_arrival`` is for a thread without an event loop (the CLI, ``asyncio.to_thread``);
code already on the worker's loop awaits ``import_arrival_async``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bookdesk import correlation
from bookdesk.core.acquisition.wanted_link import link_to_wanted
from bookdesk.core.importer.formats import format_of
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.data.import_repository import ImportRepository
from bookdesk.data.job_repository import JobRepository
from bookdesk.fault_points import reach

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ArrivalResult:
    """What became of the files of one download.

    ``work_id``: the work they now belong to (the wanted work when one was named and still
    exists), or None when nothing was imported. ``placed``: the library files made (relative
    paths). ``failures``: (file, reason) for each file that could not be imported.
    ``duplicates``: files the library had already (left where they were).
    """

    work_id: int | None
    placed: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    correlation_id: str | None = None
    arrived: list[int] = field(default_factory=list)  # the works the files went to, before any linking
    created: set[int] = field(default_factory=set)  # those of them this import made

    @property
    def ok(self) -> bool:
        return not self.failures and (bool(self.placed) or bool(self.duplicates))


# The caller's own change when the files are in (its download marked imported), in the last transaction.
Finish = Callable[["Session", ArrivalResult], None]


def import_arrival(library: LibraryService, files: Sequence[Path], *, work_id: int | None,
                   mode: str = "move", correlation_id: str | None = None,
                   finish: Finish | None = None) -> ArrivalResult:
    """Import ``files`` (moved out of staging by default) and link them to the wanted ``work_id``.

    Blocking; call it from a thread without a running event loop. The import job takes
    ``correlation_id`` (the download's) when no job has it yet, so the download and its
    import share one reference and ``bookdesk undo`` of it takes the book back out.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(import_arrival_async(library, files, work_id=work_id, mode=mode,
                                                correlation_id=correlation_id, finish=finish))
    raise RuntimeError("import_arrival blocks; on an event loop, await import_arrival_async instead")


async def import_arrival_async(library: LibraryService, files: Sequence[Path], *, work_id: int | None,
                               mode: str = "move", correlation_id: str | None = None,
                               runner: JobRunner | None = None, finish: Finish | None = None) -> ArrivalResult:
    """``import_arrival`` for code on an event loop. ``runner``: the worker's JobRunner, so the
    import shows in the Activity view (a private one otherwise). ``finish(session, arrival)``: the
    caller's own change (its download marked imported), made in the one transaction that links the
    book to the wanted work, when the arrival is ``ok``; so the book is never owned while its
    download still reads as waiting to be imported.

    A download whose files were imported already under ``correlation_id`` (a crash came between the
    import and that last transaction) is not imported again: the last step is made from what the
    first import recorded."""
    paths = [Path(f) for f in files]
    arrival = arrived_before(library, correlation_id) if correlation_id else None
    if arrival is None:
        arrival = await _import(library, paths, correlation_id, runner, mode)
        reach("arrival.imported")  # the books are in; the download does not say so yet
    else:
        log.info("the files of this download were imported already; not importing them again",
                 extra={"correlation_id": correlation_id})
    link = bool(arrival.arrived) and work_id is not None
    if not link and (finish is None or not arrival.ok):
        return arrival
    named = paths or [Path(p) for p in (*arrival.placed, *arrival.duplicates)]  # a re-run may have no files left
    kinds = {f.media_kind for f in (format_of(p) for p in named) if f is not None}
    with correlation.bound(arrival.correlation_id or ""), library.catalog.write() as session:
        if link:
            keep = work_id
            for work in arrival.arrived:
                keep = link_to_wanted(session, keep, work, created=work in arrival.created, kinds=kinds)
            arrival.work_id = keep
            log.info("download arrived for wanted work %s; now work %s", work_id, keep)
        if finish is not None and arrival.ok:
            finish(session, arrival)
    return arrival


async def _import(library: LibraryService, paths: list[Path], correlation_id: str | None,
                  runner: JobRunner | None, mode: str) -> ArrivalResult:
    # The importer (its readers, matching and placement) is imported when files arrive, not by every
    # module that names this one: ``bookdesk fetch --no-import`` never needs it.
    from bookdesk.core.importer.service import ImportService, partial_report

    runner = runner or JobRunner(library.catalog)
    title = ImportService.job_title(paths)
    try:
        ctx = runner.create("import", title, correlation_id) if correlation_id else runner.create("import", title)
    except ValueError:  # the download's id names a job already (an earlier attempt): a fresh one
        ctx = runner.create("import", title)
    importer = ImportService(library.catalog)
    result = await runner.run(ctx, lambda c: importer.run(c, paths, mode))
    report = partial_report(result.value)
    arrival = ArrivalResult(work_id=None, correlation_id=ctx.correlation_id)
    if report is None:
        reason = result.error.message if result.error else "the import was cancelled"
        arrival.failures = [(str(p), reason) for p in paths]
        return arrival
    with library.catalog.read() as session:
        sources = ImportRepository(session).sources_of(ctx.correlation_id)
    arrival.created = {s.work_id for s in sources if s.created_work}
    arrival.placed = [s.target_path for s in sources if s.target_path]
    for item in report.items:
        if item.status == "failed":
            arrival.failures.append((item.path, item.error or "could not be imported"))
        elif item.work_id is not None:
            if item.status == "duplicate":
                arrival.duplicates.append(item.path)
            if item.work_id not in arrival.arrived:
                arrival.arrived.append(item.work_id)
    if result.state != "succeeded" and not arrival.failures:
        arrival.failures = [(str(p), result.error.message if result.error else "the import was cancelled")
                            for p in paths]
    arrival.work_id = arrival.arrived[0] if arrival.arrived else None
    return arrival


def import_ref(library: LibraryService, download_id: int) -> str:
    """The Ref the import of download ``download_id`` runs under: the one the never-imported-twice
    guard (``arrived_for``) looks at, so it must name this download's import and nothing else.

    That is the download's own Ref when it is its alone and names no job yet, or names this
    download's import already (a crash came before the row said so). A Ref shared with other
    downloads (a search job, or the retry of a failed download, queues several under its own) or
    naming another job (the search that grabbed it, an earlier import attempt that failed) is
    replaced by a fresh one, written on the row before the import, so the row names its import
    (and ``bookdesk undo`` of it takes the book back out)."""
    with library.catalog.write() as session:
        downloads = DownloadRepository(session)
        ref = downloads.get(download_id).correlation_id
        if ref and not downloads.others_with_ref(ref, download_id) and (
                ImportRepository(session).sources_of(ref) or JobRepository(session).get(ref) is None):
            return ref
        fresh = correlation.new_id()
        while JobRepository(session).get(fresh) is not None or downloads.others_with_ref(fresh, download_id):
            fresh = correlation.new_id()
        downloads.update(download_id, correlation_id=fresh)
    log.info("the import of download %d runs under its own Ref %s (it was queued under %s)", download_id, fresh,
             ref or "none", extra={"download_id": download_id})
    return fresh


def arrived_for(library: LibraryService, download_id: int) -> ArrivalResult | None:
    """What an earlier import of download ``download_id`` recorded, or None: a download found imported
    already is finished without importing its files again. Keyed on the download: the files imported
    under its Ref count only when that Ref is its alone (``import_ref`` makes it so before importing)."""
    with library.catalog.read() as session:
        downloads = DownloadRepository(session)
        ref = downloads.get(download_id).correlation_id
        if not ref or downloads.others_with_ref(ref, download_id):
            return None
    return arrived_before(library, ref)


def arrived_before(library: LibraryService, correlation_id: str) -> ArrivalResult | None:
    """What an earlier import under ``correlation_id`` (a download's) recorded, or None when none did:
    a download found imported already is finished without importing its files again."""
    with library.catalog.read() as session:
        sources = ImportRepository(session).sources_of(correlation_id)
    if not sources:
        return None
    arrival = ArrivalResult(work_id=None, correlation_id=correlation_id)
    for source in sources:
        if source.target_path:
            arrival.placed.append(source.target_path)
        else:
            arrival.duplicates.append(source.source_path)
        if source.work_id not in arrival.arrived:
            arrival.arrived.append(source.work_id)
        if source.created_work:
            arrival.created.add(source.work_id)
    arrival.work_id = arrival.arrived[0]
    return arrival
