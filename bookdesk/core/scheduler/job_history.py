"""Pruning the job history: the Activity view and the catalog keep a month of jobs, and failures
for three months, since a reference ("Ref BD-7K3Q9") may be asked about long after."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.data.job_repository import JobRepository

KEEP_DAYS = 30
KEEP_FAILED_DAYS = 90


async def prune_jobs(context: SchedulerContext, job: JobContext) -> int:
    now = context.now()

    def prune() -> int:
        with context.catalog.write() as session:
            return JobRepository(session).prune(now - timedelta(days=KEEP_DAYS),
                                                now - timedelta(days=KEEP_FAILED_DAYS))

    removed = await asyncio.to_thread(prune)
    job.summary = (f"Removed {removed:,} old job{'s' if removed != 1 else ''} from the history" if removed
                   else "No job old enough to remove")
    return removed
