"""The weekly second look at books added lately: providers often know more about a new book a few
days after it came out, and a book imported in a hurry may have been identified on little."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from bookdesk.core.identify.service import IdentifyReport
from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import Work

RECENT_DAYS = 7


def recent_work_ids(catalog: Catalog, since: datetime) -> list[int]:
    """Books in the library (not wanted placeholders) added at or after ``since``, oldest first."""
    with catalog.read() as session:
        return list(session.execute(select(Work.id).where(Work.added_at >= since, Work.status == "owned")
                                    .order_by(Work.added_at, Work.id)).scalars())


async def refresh_recent(context: SchedulerContext, job: JobContext) -> IdentifyReport | None:
    since = context.now() - timedelta(days=RECENT_DAYS)
    ids = await asyncio.to_thread(recent_work_ids, context.catalog, since)
    if not ids:
        job.summary = f"No books were added in the last {RECENT_DAYS} days"
        return None
    from bookdesk.core.identify.make_service import (
        identify_service,  # the provider clients: loaded when needed
    )

    service = identify_service(context.catalog, context.http(), context.settings, context.secrets)
    report = await service.identify(job, ids)
    changed = [r.work_id for r in report.results if r.changes]
    if changed and context.books_changed is not None:
        context.books_changed(changed)
    return report
