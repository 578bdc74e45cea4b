"""The weekly second look at books added lately: providers often know more about a new book a few
days after it came out, and a book imported in a hurry may have been identified on little."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bookdesk.core.identify.service import IdentifyReport
from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import Work

RECENT_DAYS = 7
# More new books than this (a big import) and the automatic refresh asks the person first: it asks the
# providers about every one of them, and may change what the person has just looked over.
ASK_OVER = 200


def recent_work_ids(catalog: Catalog, since: datetime) -> list[int]:
    """Books in the library (not wanted placeholders) added at or after ``since``, oldest first."""
    with catalog.read() as session:
        return list(session.execute(select(Work.id).where(Work.added_at >= since, Work.status == "owned")
                                    .order_by(Work.added_at, Work.id)).scalars())


def too_many_to_refresh(context: SchedulerContext) -> str | None:
    """The question to put to the person before an automatic refresh over more than ``ASK_OVER`` books;
    None: few enough to go ahead."""
    since = context.now() - timedelta(days=RECENT_DAYS)
    with context.catalog.read() as session:
        count = session.execute(select(func.count(Work.id)).where(Work.added_at >= since,
                                                                  Work.status == "owned")).scalar_one()
    if count <= ASK_OVER:
        return None
    return (f"{count:,} books were added in the last {RECENT_DAYS} days. Refresh their metadata now? BookDesk "
            "asks the metadata providers about each one, which takes a while and may change what they say.")


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
