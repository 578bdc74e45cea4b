""""Sync with Audiobookshelf" as a scheduled job (``scheduler/kinds.py``): a pull from every server that is
switched on, through the run's one rate limiter; the books it added, linked or changed are told to the window."""

from __future__ import annotations

from bookdesk.core.audiobookshelf.config import find
from bookdesk.core.audiobookshelf.pull import AbsPull, PullReport
from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import SchedulerContext


async def sync_servers(context: SchedulerContext, job: JobContext) -> PullReport:
    limiter = context.net.limiter if context.net is not None else None
    pull = AbsPull(context.catalog, find(context.settings.audiobookshelf_servers, None), context.secrets,
                   limiter=limiter)
    report = await pull.run(job)
    if report.added and context.books_added is not None:
        context.books_added(report.added)  # the Library reads its list again: a changed row is not enough
    if report.changed and context.books_changed is not None:
        context.books_changed(report.changed)
    return report


def no_server(context: SchedulerContext) -> str | None:
    """Why there is nothing to sync: no server set up, or none switched on."""
    return None if find(context.settings.audiobookshelf_servers, None) else "No Audiobookshelf server is set up"
