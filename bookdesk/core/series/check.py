"""Checking series against the providers: fetch each provider's listing of a series, keep it, and
work out its gaps with it. The job behind "Check Providers" and scheduled checks of monitored series."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from bookdesk.core.jobs import JobContext
from bookdesk.core.net.client import HttpClient
from bookdesk.core.providers.series_lookup import fetch_listings
from bookdesk.core.secrets import SecretStore
from bookdesk.core.series.service import SeriesService
from bookdesk.core.settings import Settings
from bookdesk.data.models import Series
from bookdesk.data.work_repository import WorkRepository

log = logging.getLogger(__name__)

CONCURRENT_SERIES = 4


@dataclass
class SeriesCheck:
    series_id: int
    name: str
    sources: tuple[str, ...] = ()
    missing: int = 0
    total: int | None = None
    error: str | None = None
    offline: bool = False  # every provider asked could not be reached: not a check, and not "not found"


@dataclass
class CheckReport:
    correlation_id: str
    checks: list[SeriesCheck] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        found = sum(1 for c in self.checks if c.sources)
        missing = sum(c.missing for c in self.checks)
        offline = sum(1 for c in self.checks if c.offline)
        checked = len(self.checks) - offline
        text = f"{checked} series checked, {found} known to providers, {missing} books missing"
        if offline:
            text += f", {offline} not checked (offline: no provider could be reached)"
        return text


async def check_series(ctx: JobContext, series: SeriesService, client: HttpClient, settings: Settings,
                       secrets: SecretStore, series_ids: Sequence[int], *, user_waiting: bool = False) -> CheckReport:
    report = CheckReport(ctx.correlation_id)
    gate = asyncio.Semaphore(CONCURRENT_SERIES)
    done = 0

    async def one(series_id: int) -> SeriesCheck:
        nonlocal done
        async with gate:
            ctx.check_cancelled()
            name, author, known = await asyncio.to_thread(_known_ids, series, series_id)
            check = SeriesCheck(series_id, name)
            try:
                reached: dict[str, str | None] = {}
                listings, notes = await fetch_listings(client, settings, secrets, name, known, author=author,
                                                       user_waiting=user_waiting, reached=reached)
                report.notes.extend(notes)
                unreachable = {label: why for label, why in reached.items() if why is not None}
                if reached and len(unreachable) == len(reached):
                    # Nobody was asked: the series' figures and its "last checked" stay as they were.
                    check.offline = True
                    check.error = "offline: " + "; ".join(f"{label}: {why}" for label, why in unreachable.items())
                    await asyncio.to_thread(series.record_offline, series_id, sorted(unreachable))
                    return check
                gaps = await asyncio.to_thread(series.record_listings, series_id, listings)
                check.sources, check.missing, check.total = gaps.sources, len(gaps.overall.missing_positions), \
                    gaps.total
            except Exception as exc:  # one series' trouble is that series' note, not the job's end
                log.warning("series check of %s failed: %s", name, exc)
                check.error = getattr(exc, "message", str(exc))
        done += 1
        ctx.report(done / max(len(series_ids), 1), f"{done} of {len(series_ids)} series checked")
        return check

    report.checks = list(await asyncio.gather(*(one(s) for s in series_ids)))
    ctx.summary = report.summary()
    return report


def _known_ids(series: SeriesService, series_id: int) -> tuple[str, str | None, dict]:
    """The series' name, its main author, and what identifies it and its books at the providers."""
    catalog = series.catalog
    with catalog.read() as session:
        name, provider_ids = session.execute(
            select(Series.name, Series.provider_ids).where(Series.id == series_id)).one()
        work_ids = [e.work_id for e in series.entries(series_id) if e.work_id is not None]
        works = WorkRepository(session).details(work_ids)
    known: dict = {k: v for k, v in json.loads(provider_ids or "{}").items() if v}
    known["asins"] = sorted({w.identifiers["asin"] for w in works if w.identifiers.get("asin")})
    known["isbns"] = sorted({w.identifiers["isbn"] for w in works if w.identifiers.get("isbn")})
    known["openlibrary_works"] = sorted({w.identifiers["openlibrary"] for w in works
                                         if w.identifiers.get("openlibrary")})
    authors = [a for w in works for a in w.authors]
    author = max(set(authors), key=authors.count) if authors else None
    return name, author, known


@dataclass
class AuthorCheck:
    author: str
    series_updated: list[str] = field(default_factory=list)  # series of the library the bibliography completed
    other_series: list[str] = field(default_factory=list)  # series of the author the library has nothing of
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.author}: {len(self.series_updated)} of your series checked"
        if self.other_series:
            text += f"; {len(self.other_series)} more series you have nothing of"
        return text


async def check_author(ctx: JobContext, series: SeriesService, client: HttpClient, settings: Settings,
                       secrets: SecretStore, author: str, *, user_waiting: bool = False) -> AuthorCheck:
    """An author's bibliography from Hardcover, by series: the series the library has get their listings
    (so the author's missing books show), the others are named in the result."""
    from bookdesk.core.providers.provider_secret import provider_secret
    from bookdesk.core.providers.series_hardcover import HardcoverSeries
    from bookdesk.core.secrets import HARDCOVER_TOKEN
    from bookdesk.errors import NotFoundError, UsageError

    result = AuthorCheck(author)
    if "hardcover" not in settings.providers():
        result.notes.append("Hardcover is switched off; author bibliographies come from it.")
        ctx.summary = result.summary()
        return result
    token, refused = provider_secret(secrets, HARDCOVER_TOKEN, HardcoverSeries.label)
    if refused:
        result.notes.append(refused)
        ctx.summary = result.summary()
        return result
    source = HardcoverSeries(client, settings.provider_urls.get("hardcover") or None, token=token)
    if not source.configured():
        result.notes.append("Hardcover has no token; set one in Tools → Metadata Providers…")
        ctx.summary = result.summary()
        return result
    listings = await source.author_series(author, notes=result.notes, user_waiting=user_waiting)
    for done, listing in enumerate(listings, start=1):
        ctx.check_cancelled()
        try:
            # The author's series of that name: another author's "Archive Saga" is another series.
            series_id = await asyncio.to_thread(series.series_id, listing.series_name, author)
        except NotFoundError:
            result.other_series.append(listing.series_name)
        except UsageError as exc:  # several series of that name, none plainly the author's
            result.notes.append(exc.message)
        else:
            await asyncio.to_thread(series.record_listings, series_id, [listing])
            result.series_updated.append(listing.series_name)
        ctx.report(done / len(listings), f"{done} of {len(listings)} series of {author}")
    ctx.summary = result.summary()
    return result
