"""The scheduled jobs themselves, run through the scheduler as ``bookdesk sync`` runs them: pruning
the job history, backing up the catalog, rescanning the library and the watch folder, checking
what is monitored, refreshing recent additions, and the two that acquisition hooks in."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from bookdesk.core.importer.watch import WatchFolder
from bookdesk.core.net.cache import ResponseCache
from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.scheduler import kinds
from bookdesk.core.scheduler.catalog_backup import KEEP, backup_folder, backups
from bookdesk.core.scheduler.library_scan import scan_library
from bookdesk.core.scheduler.recent_metadata import recent_work_ids
from bookdesk.core.scheduler.scheduler import Scheduler
from bookdesk.core.settings import PROVIDERS, Settings
from bookdesk.data.job_repository import JobRepository
from bookdesk.data.models import Author, File, Job, Series, Work
from tests.core.scheduler.helpers import client_download
from tests.fakes.clock import FakeClock


def _sync(scheduler: Scheduler, every: bool = False):
    return asyncio.run(scheduler.sync(every=every))


def _only(make_scheduler, kind, **options) -> Scheduler:
    return make_scheduler([kind], **options)


# ----- pruning the job history ---------------------------------------------------------------


def _job(session, cid: str, state: str, created: datetime) -> None:
    JobRepository(session).create("test", f"Job {cid}", cid)
    session.execute(update(Job).where(Job.correlation_id == cid).values(state=state, created_at=created))


def test_pruning_keeps_a_month_of_jobs_and_three_months_of_failures(make_scheduler, service, clock):
    now = clock.now()
    with service.catalog.write() as session:
        _job(session, "BD-00001", "succeeded", now - timedelta(days=29))
        _job(session, "BD-00002", "succeeded", now - timedelta(days=31))
        _job(session, "BD-00003", "cancelled", now - timedelta(days=31))
        _job(session, "BD-00004", "failed", now - timedelta(days=31))
        _job(session, "BD-00005", "failed", now - timedelta(days=91))
        _job(session, "BD-00006", "running", now - timedelta(days=200))  # never pruned while unfinished

    [result] = _sync(_only(make_scheduler, kinds.PRUNE_JOBS))
    assert (result.status, result.summary) == ("succeeded", "Removed 3 old jobs from the history")
    with service.catalog.read() as session:
        left = set(session.execute(select(Job.correlation_id)).scalars())
    assert left == {"BD-00001", "BD-00004", "BD-00006", result.correlation_id}


# ----- backing up the catalog ----------------------------------------------------------------


def test_the_catalog_backup_is_a_whole_sqlite_catalog_and_only_the_newest_few_are_kept(
        make_scheduler, service, clock, make_book, import_books):
    import_books(service.catalog, [make_book("Dune", "Frank Herbert")])
    scheduler = _only(make_scheduler, kinds.BACKUP_CATALOG)
    made = []
    for _week in range(KEEP + 2):
        [result] = _sync(scheduler)
        assert result.status == "succeeded", result.summary
        made.append(backups(service.folder)[-1].name)
        clock.advance(7 * 24 * 3600)

    kept = backups(service.folder)
    assert [p.name for p in kept] == made[-KEEP:]
    assert kept[0].parent == backup_folder(service.folder)
    assert not [p for p in backup_folder(service.folder).iterdir() if p.name.endswith(".part")]
    with sqlite3.connect(kept[-1]) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT title FROM works").fetchall() == [("Dune",)]
    assert made[0] == "bookdesk-20240601T120000Z.sqlite3"


def test_two_backups_in_one_second_both_stay(make_scheduler, service):
    scheduler = _only(make_scheduler, kinds.BACKUP_CATALOG)
    _sync(scheduler)
    _sync(scheduler, every=True)
    assert [p.name for p in backups(service.folder)] == ["bookdesk-20240601T120000Z.sqlite3",
                                                         "bookdesk-20240601T120000Z-2.sqlite3"]


# ----- rescanning the library and the watch folder -------------------------------------------


def _library_files(service) -> list[str]:
    with service.catalog.read() as session:
        return sorted(session.execute(select(File.path)).scalars())


def test_the_rescan_reports_files_gone_changed_and_unknown_and_changes_nothing(
        make_scheduler, service, make_book, import_books, snapshot):
    import_books(service.catalog, [make_book("One"), make_book("Two"), make_book("Three")])
    gone, changed, _same = _library_files(service)
    (service.folder / gone).unlink()
    with (service.folder / changed).open("ab") as fh:
        fh.write(b"edited elsewhere")
    make_book("Stray", folder=service.folder / "Someone")
    make_book("Staged", folder=service.folder / ".staging")  # BookDesk's own: not a stray
    before = snapshot(service.folder)

    [result] = _sync(_only(make_scheduler, kinds.RESCAN))
    assert (result.status, result.summary) == (
        "succeeded", "3 book files checked, 1 missing, 1 changed by another program, 1 not in the catalog")
    scan = scan_library(service.catalog)
    assert (scan.missing, scan.changed, scan.untracked) == ([gone], [changed], ["Someone/Stray.epub"])
    assert {k: v for k, v in snapshot(service.folder).items() if not k.startswith("bookdesk.sqlite3")} == {
        k: v for k, v in before.items() if not k.startswith("bookdesk.sqlite3")}
    assert len(_library_files(service)) == 3


def test_a_library_in_order_says_so(make_scheduler, service, make_book, import_books):
    import_books(service.catalog, [make_book("One")])
    [result] = _sync(_only(make_scheduler, kinds.RESCAN))
    assert result.summary == "1 book file checked, all in place"


def test_the_rescan_imports_what_settled_in_the_watch_folder(make_scheduler, context, service, make_book,
                                                             tmp_path):
    watched = tmp_path / "watch"
    make_book("Arrived", "Ann Author", folder=watched)
    context.settings = Settings(watch_folder=str(watched), watch_enabled=True, watch_mode="move",
                                watch_interval_seconds=30)
    seconds = [0.0]
    slept: list[float] = []

    async def sleep(duration: float) -> None:  # the settle time passes without anyone waiting
        slept.append(duration)
        seconds[0] += duration

    context.sleep = sleep
    context.watch = WatchFolder(watched, settle_seconds=30, clock=lambda: seconds[0])
    changed: list[list[int]] = []
    context.books_added = lambda ids: changed.append(list(ids))

    [result] = _sync(_only(make_scheduler, kinds.RESCAN))
    assert result.status == "succeeded"
    assert result.summary == "0 book files checked, all in place; watch folder: 1 added"
    assert slept == [30]  # a first look, then a second one the settle time later
    assert not list(watched.iterdir())  # moved into the library
    assert service.count() == 1 and changed == [service.work_ids()]

    [again] = _sync(_only(make_scheduler, kinds.RESCAN), every=True)
    assert again.summary == "1 book file checked, all in place" and slept == [30]


# ----- checking monitored series and authors ---------------------------------------------------


@pytest.fixture
def offline_client(tmp_path):
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(503)))
    yield HttpClient(http, RateLimiter(), ResponseCache(tmp_path / "cache"), max_attempts=1)
    asyncio.run(http.aclose())


def test_with_nothing_monitored_the_check_is_skipped(make_scheduler):
    [result] = _sync(_only(make_scheduler, kinds.CHECK_MONITORED))
    assert (result.status, result.summary, result.correlation_id) == (
        "skipped", "No series or author is monitored", None)


def test_the_check_asks_about_every_monitored_series_and_author(make_scheduler, context, service, offline_client):
    with service.catalog.write() as session:
        session.add_all([Series(name="Dune", sort_name="Dune", monitored=True),
                         Series(name="Not This", sort_name="Not This", monitored=True, ignored=True),
                         Series(name="Quiet", sort_name="Quiet"),
                         Author(name="Frank Herbert", sort_name="Herbert, Frank", monitored=True)])
    context.settings = Settings(providers_enabled=dict.fromkeys(PROVIDERS, False))  # no request goes out
    context.net = offline_client

    [result] = _sync(_only(make_scheduler, kinds.CHECK_MONITORED))
    assert (result.status, result.summary) == (
        "succeeded", "1 series checked, 0 known to providers, 0 books missing; 1 monitored author checked")


# ----- refreshing the metadata of recent additions -------------------------------------------


def test_without_a_metadata_provider_the_refresh_is_skipped(make_scheduler, context):
    context.settings = Settings(providers_enabled=dict.fromkeys(PROVIDERS, False))
    [result] = _sync(_only(make_scheduler, kinds.REFRESH_METADATA))
    assert (result.status, result.summary) == ("skipped", "No metadata provider is switched on")


def test_recent_additions_are_the_books_added_in_the_last_week(service, make_book, import_books):
    import_books(service.catalog, [make_book("Old"), make_book("New"), make_book("Wanted")])
    now = datetime.now(UTC).replace(tzinfo=None)
    with service.catalog.write() as session:
        session.execute(update(Work).where(Work.title == "Old").values(added_at=now - timedelta(days=8)))
        session.execute(update(Work).where(Work.title == "Wanted").values(status="wanted"))
        new = session.execute(select(Work.id).where(Work.title == "New")).scalar()
    assert recent_work_ids(service.catalog, now - timedelta(days=7)) == [new]


def test_with_no_recent_additions_the_refresh_asks_nobody(make_scheduler, context, offline_client):
    context.net = offline_client
    [result] = _sync(_only(make_scheduler, kinds.REFRESH_METADATA, clock=FakeClock(datetime(2030, 1, 1))))
    assert (result.status, result.summary) == ("succeeded", "No books were added in the last 7 days")


# ----- searching for wanted books and following the download clients (hooks) -----------------


def test_without_their_hooks_searching_and_polling_are_skipped_not_failed(make_scheduler, service):
    with service.catalog.write() as session:
        client_download(session, "torrent", "running")
    results = _sync(make_scheduler([kinds.SEARCH_WANTED, kinds.POLL_CLIENTS]))
    assert [(r.kind, r.status, r.summary) for r in results] == [
        ("search-wanted", "skipped", "Searching for wanted books is not set up"),
        ("poll-clients", "skipped", "Following the download clients is not set up")]


def test_the_hooks_run_as_scheduled_jobs_with_their_summaries(make_scheduler, context, service):
    seen = []

    async def search(job):
        seen.append(("search", job.kind, job.correlation_id))
        return "3 searched, 1 grabbed"

    async def poll(job):
        seen.append(("poll", job.kind, job.correlation_id))
        job.summary = "1 torrent imported"

    context.search_wanted, context.poll_clients = search, poll
    context.settings = replace(context.settings, indexers=[{"name": "Prowlarr", "url": "http://127.0.0.1:9/api"}],
                               download_clients=[{"name": "qBittorrent", "kind": "qbittorrent",
                                                  "url": "http://127.0.0.1:9"}])
    with service.catalog.write() as session:
        client_download(session, "torrent", "queued")
    results = _sync(make_scheduler([kinds.SEARCH_WANTED, kinds.POLL_CLIENTS]))
    assert [(r.kind, r.status, r.summary) for r in results] == [
        ("search-wanted", "succeeded", "3 searched, 1 grabbed"), ("poll-clients", "succeeded", "1 torrent imported")]
    assert seen == [("search", "search-wanted", results[0].correlation_id),
                    ("poll", "poll-clients", results[1].correlation_id)]


@pytest.mark.parametrize(("kind", "state", "import_after", "due"), [
    ("torrent", "queued", True, True), ("torrent", "running", True, True), ("usenet", "paused", True, True),
    # complete in its client, its import still to come (its path was not mapped yet, say)
    ("torrent", "completed", True, True), ("torrent", "completed", False, False),
    ("torrent", "failed", True, False), ("torrent", "imported", True, False), ("http", "running", True, False)])
def test_the_clients_are_polled_only_while_they_have_a_download_of_ours_going(make_scheduler, context, service,
                                                                              kind, state, import_after, due):
    async def poll(job):
        return "polled"

    context.poll_clients = poll
    context.settings = replace(context.settings, download_clients=[{"name": "qBittorrent", "kind": "qbittorrent",
                                                                    "url": "http://127.0.0.1:9"}])
    scheduler = _only(make_scheduler, kinds.POLL_CLIENTS)
    assert scheduler.due() == []
    with service.catalog.write() as session:
        client_download(session, kind, state, import_after)
    assert [k.name for k in scheduler.due()] == (["poll-clients"] if due else [])


def test_the_default_kinds_and_their_intervals():
    assert {k.name: (k.interval_seconds, k.needs_network) for k in kinds.KINDS} == {
        "poll-clients": (60, False), "rescan": (3600, False), "check-monitored": (86400, True),
        "search-wanted": (6 * 3600, True), "refresh-metadata": (7 * 86400, True), "abs-sync": (6 * 3600, False),
        "calibre-follow": (3600, False), "backup-catalog": (7 * 86400, False), "prune-jobs": (86400, False)}
    assert all(len(k.name) <= 32 for k in kinds.KINDS)  # schedules.job_kind and jobs.kind are 32 wide


def test_a_watch_folder_that_is_switched_off_is_left_alone(make_scheduler, context, make_book, tmp_path: Path):
    watched = tmp_path / "watch"
    make_book("Waiting", folder=watched)
    context.settings = Settings(watch_folder=str(watched), watch_enabled=False)
    [result] = _sync(_only(make_scheduler, kinds.RESCAN))
    assert result.summary == "0 book files checked, all in place"
    assert [p.name for p in watched.iterdir()] == ["Waiting.epub"]
