"""The kinds of scheduled job: what each is called, how often it runs unless the person says
otherwise, whether it needs the network, and what it does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler import acquisition_hooks as hooks
from bookdesk.core.scheduler.context import SchedulerContext

MINUTE, HOUR, DAY = 60, 3600, 86400

KindRun = Callable[[SchedulerContext, JobContext], Awaitable[object]]


def _ready(_context: SchedulerContext) -> str | None:
    return None


def _always(_context: SchedulerContext) -> bool:
    return True


def _no_question(_context: SchedulerContext) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class JobKind:
    name: str  # stored in the catalog (schedules.job_kind, jobs.kind): never rename one
    title: str  # what the Activity view and the Scheduler settings call it
    interval_seconds: int  # the default
    needs_network: bool
    run: KindRun  # sets ``job.summary``; what it returns is the JobResult's value
    # Why the job cannot run at all now (a hook not wired, no provider on, nothing monitored): the run
    # is skipped and planned again one interval later, without a Job row. None: it can run.
    skip_reason: Callable[[SchedulerContext], str | None] = _ready
    # Due only while this holds (polling the download clients while they have something of ours).
    active: Callable[[SchedulerContext], bool] = _always
    # Carries on what the person already asked for (a grab), rather than a check of the app's own: Pause
    # Automation and the start delay do not hold it, and a grab has it run at once (Scheduler.requests_changed).
    follows_requests: bool = False
    # What the person goes without while they keep it switched off (said on the Scheduler page).
    when_off: str | None = None
    # A question for the person before a run they did not ask for ("Run now" is their go-ahead): a run
    # that would touch many books waits for it, planned again one interval later. None: it just runs.
    ask_first: Callable[[SchedulerContext], str | None] = _no_question


async def _check_monitored(context: SchedulerContext, job: JobContext) -> object:
    from bookdesk.core.scheduler.monitored_check import check_monitored  # provider clients: loaded when run

    return await check_monitored(context, job)


def _nothing_monitored(context: SchedulerContext) -> str | None:
    from bookdesk.core.scheduler.monitored_check import nothing_monitored

    return nothing_monitored(context)


async def _rescan(context: SchedulerContext, job: JobContext) -> object:
    from bookdesk.core.scheduler.rescan import rescan

    return await rescan(context, job)


async def _refresh_recent(context: SchedulerContext, job: JobContext) -> object:
    from bookdesk.core.scheduler.recent_metadata import refresh_recent

    return await refresh_recent(context, job)


def _no_provider(context: SchedulerContext) -> str | None:
    return None if context.settings.providers() else "No metadata provider is switched on"


def _too_many_to_refresh(context: SchedulerContext) -> str | None:
    from bookdesk.core.scheduler.recent_metadata import too_many_to_refresh

    return too_many_to_refresh(context)


async def _abs_sync(context: SchedulerContext, job: JobContext) -> object:
    from bookdesk.core.audiobookshelf.scheduled import sync_servers  # its client: loaded when run

    return await sync_servers(context, job)


def _no_abs_server(context: SchedulerContext) -> str | None:
    from bookdesk.core.audiobookshelf.scheduled import no_server

    return no_server(context)


async def _calibre_follow(context: SchedulerContext, job: JobContext) -> object:
    from bookdesk.core.calibre.scheduled import follow_libraries  # the calibre reader: loaded when run

    return await follow_libraries(context, job)


def _no_calibre_library(context: SchedulerContext) -> str | None:
    from bookdesk.core.calibre.scheduled import nothing_followed

    return nothing_followed(context)


async def _prune(context: SchedulerContext, job: JobContext) -> object:
    from bookdesk.core.scheduler.job_history import prune_jobs

    return await prune_jobs(context, job)


async def _back_up(context: SchedulerContext, job: JobContext) -> object:
    from bookdesk.core.scheduler.catalog_backup import back_up

    return await back_up(context, job)


CHECK_MONITORED = JobKind("check-monitored", "Check monitored series and authors for new books", DAY, True,
                          _check_monitored, skip_reason=_nothing_monitored)
SEARCH_WANTED = JobKind("search-wanted", "Search for wanted books", 6 * HOUR, True,
                        hooks.through_hook(hooks.search_wanted_hook),
                        skip_reason=hooks.hook_missing(hooks.search_wanted_hook, "Searching for wanted books"))
# Not held by the internet check (needs_network=False): that check asks the first metadata provider on the
# internet, while the clients are often on the LAN (a NAS, a seedbox reached by address); a client that does
# not answer says so in its own poll. Not held by the pause either (follows_requests): pausing the app's own
# checks must not leave a book the person grabbed unimported. Switching it off is the one way to stop it.
POLL_CLIENTS = JobKind("poll-clients", "Follow downloads in the download clients", MINUTE, False,
                       hooks.through_hook(hooks.poll_clients_hook),
                       skip_reason=hooks.hook_missing(hooks.poll_clients_hook, "Following the download clients"),
                       active=hooks.client_work_waiting, follows_requests=True,
                       when_off="Off: downloads in the download clients are not followed or imported")
RESCAN = JobKind("rescan", "Rescan the library and the watch folder", HOUR, False, _rescan)
REFRESH_METADATA = JobKind("refresh-metadata", "Refresh the metadata of recent additions", 7 * DAY, True,
                           _refresh_recent, skip_reason=_no_provider, ask_first=_too_many_to_refresh)
# Not held by the internet check: an Audiobookshelf server is usually on the LAN (a NAS); one that does not
# answer fails its run with the reason, and nothing is changed (core/audiobookshelf/pull.py).
ABS_SYNC = JobKind("abs-sync", "Sync with Audiobookshelf", 6 * HOUR, False, _abs_sync, skip_reason=_no_abs_server)
# What changed in a calibre library brought over before (core/calibre/follow.py): its database read, never written.
CALIBRE_FOLLOW = JobKind("calibre-follow", "Follow the calibre libraries brought over", HOUR, False, _calibre_follow,
                         skip_reason=_no_calibre_library)
PRUNE_JOBS = JobKind("prune-jobs", "Prune the job history", DAY, False, _prune)
BACKUP_CATALOG = JobKind("backup-catalog", "Back up the catalog", 7 * DAY, False, _back_up)

# In the order they are shown, and run when several are due at once.
KINDS: tuple[JobKind, ...] = (POLL_CLIENTS, RESCAN, CHECK_MONITORED, SEARCH_WANTED, REFRESH_METADATA,
                              ABS_SYNC, CALIBRE_FOLLOW, BACKUP_CATALOG, PRUNE_JOBS)


def by_name(kinds: Sequence[JobKind] = KINDS) -> dict[str, JobKind]:
    return {kind.name: kind for kind in kinds}
