"""The scheduled check of monitored series and authors: what the providers list now, so new and
upcoming books show as missing (and can be wanted) without anyone asking."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.core.series.check import AuthorCheck, CheckReport, check_author, check_series
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import Author, Series
from bookdesk.errors import JobCancelledError

log = logging.getLogger(__name__)


@dataclass
class MonitoredCheck:
    series: CheckReport | None = None
    authors: list[AuthorCheck] = field(default_factory=list)
    author_errors: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [self.series.summary()] if self.series is not None else []
        if self.authors or self.author_errors:
            failed = f" ({len(self.author_errors)} could not be checked)" if self.author_errors else ""
            count = len(self.authors) + len(self.author_errors)
            parts.append(f"{count} monitored author{'s' if count != 1 else ''} checked{failed}")
        return "; ".join(parts) or "Nothing is monitored"


def monitored(catalog: Catalog) -> tuple[list[int], list[str]]:
    """The ids of the monitored series (not those marked not interesting) and the monitored authors' names."""
    with catalog.read() as session:
        series = list(session.execute(select(Series.id).where(Series.monitored, Series.ignored.is_(False))
                                      .order_by(Series.sort_name)).scalars())
        authors = list(session.execute(select(Author.name).where(Author.monitored)
                                       .order_by(Author.sort_name)).scalars())
    return series, authors


def nothing_monitored(context: SchedulerContext) -> str | None:
    series, authors = monitored(context.catalog)
    return None if series or authors else "No series or author is monitored"


async def check_monitored(context: SchedulerContext, job: JobContext) -> MonitoredCheck:
    series_ids, authors = await asyncio.to_thread(monitored, context.catalog)
    service = await asyncio.to_thread(context.series_service)
    client, settings, secrets = context.http(), context.settings, context.secrets
    result = MonitoredCheck()
    if series_ids:
        result.series = await check_series(job, service, client, settings, secrets, series_ids)
    for author in authors:
        job.check_cancelled()
        try:
            result.authors.append(await check_author(job, service, client, settings, secrets, author))
        except (JobCancelledError, asyncio.CancelledError):
            raise
        except Exception as exc:  # one author's trouble is a note, not the end of the others' checks
            log.warning("scheduled check of author %s failed: %s", author, exc)
            result.author_errors[author] = getattr(exc, "message", str(exc))
    job.summary = result.summary()
    return result
