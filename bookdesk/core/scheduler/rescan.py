"""The hourly rescan: the library compared with the disk, and books waiting in the watch folder imported.

The GUI also looks in the watch folder every few seconds while it runs; this catches what arrived
while it was closed, and does the same for ``bookdesk sync``. Both share one WatchFolder when the
GUI hands its own to the context, so an entry is handed over once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from bookdesk.core.importer.service import ImportReport, ImportService
from bookdesk.core.importer.watch import WatchFolder
from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.core.scheduler.library_scan import LibraryScan, scan_library

log = logging.getLogger(__name__)


@dataclass
class Rescan:
    library: LibraryScan
    imported: ImportReport | None = None
    watch_folder: str | None = None

    def summary(self) -> str:
        text = self.library.summary()
        if self.imported is not None:
            text += f"; watch folder: {self.imported.summary()}"
        return text


async def rescan(context: SchedulerContext, job: JobContext) -> Rescan:
    job.report(0.0, "Comparing the library with the disk")
    result = Rescan(await asyncio.to_thread(scan_library, context.catalog))
    job.summary = result.summary()
    watch = context.watch_folder()
    if watch is not None:
        result.watch_folder = str(watch.folder)
        ready = await _settled(context, watch)
        if ready:
            job.report(0.0, f"Importing {len(ready)} item(s) from the watch folder")
            importer = ImportService(context.catalog, context.settings.import_template)
            result.imported = await importer.run(job, ready, context.settings.watch_mode)
            added = [item.work_id for item in result.imported.items
                     if item.status == "added" and item.work_id is not None]
            if added and context.books_added is not None:
                context.books_added(sorted(set(added)))
    job.summary = result.summary()
    return result


async def _settled(context: SchedulerContext, watch: WatchFolder) -> list[Path]:
    """What in the watch folder has stopped growing. A WatchFolder that never looked before needs two
    looks, one settle time apart; later runs count the previous run's look as the first."""
    first = context.first_look(watch)
    ready = await asyncio.to_thread(watch.ready)
    if first and not ready and await asyncio.to_thread(_has_entries, watch.folder):
        await context.sleep(watch.settle_seconds)
        ready = await asyncio.to_thread(watch.ready)
    return [path for path in ready if path.exists()]  # the GUI's own look may have taken it meanwhile


def _has_entries(folder: Path) -> bool:
    try:
        return any(not p.name.startswith(".") for p in folder.iterdir())
    except OSError:
        return False
