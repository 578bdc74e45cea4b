""""Follow the calibre libraries" as a scheduled job (``scheduler/kinds.py``): every calibre library some book
came from is run again as it was brought over (in place, copied or linked; the same read-state column), so
what changed in calibre since comes over (``follow.py``). A library no longer where it was is said, and the
others go on. The books it added or changed are told to the window."""

from __future__ import annotations

from pathlib import Path

from bookdesk.core.calibre.service import CalibreImportService
from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.data.calibre_repository import CalibreRepository, Followed
from bookdesk.errors import BookDeskError


def followed(context: SchedulerContext) -> list[Followed]:
    with context.library.catalog.read() as session:
        return CalibreRepository(session).followed()


async def follow_libraries(context: SchedulerContext, job: JobContext) -> list[str]:
    importer = CalibreImportService(context.library.catalog, context.settings.import_template)
    said = []
    for library in followed(context):
        name = Path(library.library).name
        try:
            report = await importer.run(job, Path(library.library), library.mode, library.read_column)
        except BookDeskError as exc:  # not there any more, locked, damaged: said, and the others go on
            said.append(f"{name}: {exc.message}")
            continue
        added = [item.work_id for item in report.items if item.status == "added" and item.work_id is not None]
        if added and context.books_added is not None:
            context.books_added(added)
        if report.changed and context.books_changed is not None:
            context.books_changed(report.changed)
        said.append(f"{name}: {report.summary()}")
    job.summary = "; ".join(said)
    return said


def nothing_followed(context: SchedulerContext) -> str | None:
    return None if followed(context) else "No calibre library has been brought over"
