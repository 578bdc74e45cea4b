""""Sync with Audiobookshelf" as a scheduled job (``scheduler/kinds.py``): a pull from every server that is
switched on, then a push of the corrections made here to the items (both through the run's one rate
limiter, under the job's one Ref); the books the pull added, linked or changed are told to the window."""

from __future__ import annotations

from bookdesk.core.audiobookshelf.config import find
from bookdesk.core.audiobookshelf.pull import AbsPull, PullReport
from bookdesk.core.audiobookshelf.push import AbsPush
from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import SchedulerContext


async def sync_servers(context: SchedulerContext, job: JobContext) -> PullReport:
    limiter = context.net.limiter if context.net is not None else None
    chosen = find(context.settings.audiobookshelf_servers, None)
    report = await AbsPull(context.catalog, chosen, context.secrets, limiter=limiter).run(job)
    if report.added and context.books_added is not None:
        context.books_added(report.added)  # the Library reads its list again: a changed row is not enough
    if report.changed and context.books_changed is not None:
        context.books_changed(report.changed)
    pulled = job.summary
    # Only the servers that were pulled: a push compares with what the pull just read of each item.
    pushed = await AbsPush(context.catalog, [c for c in chosen if c.name in report.servers], context.secrets,
                           limiter=limiter).run(job)
    job.summary = pulled if not (pushed.pushed or pushed.conflicts or pushed.failed) else \
        f"{pulled}; {pushed.summary()}"
    return report


def no_server(context: SchedulerContext) -> str | None:
    """Why there is nothing to sync: no server set up, or none switched on."""
    return None if find(context.settings.audiobookshelf_servers, None) else "No Audiobookshelf server is set up"
