"""The two scheduled kinds whose work lives in acquisition: searching for wanted books and following
the download clients. They run through hooks on the context, wired by whoever builds it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from bookdesk.core.acquisition import client_poller
from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import JobHook, SchedulerContext

if TYPE_CHECKING:
    from bookdesk.core.acquisition.client_poller import ClientPoller, SourcesGetter

log = logging.getLogger(__name__)

ACTIVE_STATES = ("queued", "running", "paused")


def client_work_waiting(context: SchedulerContext) -> bool:
    """Following the download clients is due only while they have something of ours."""
    return client_poller.client_work_waiting(context.catalog)


def hook_missing(pick: Callable[[SchedulerContext], JobHook | None], what: str) -> Callable[[SchedulerContext],
                                                                                              str | None]:
    def check(context: SchedulerContext) -> str | None:
        return None if pick(context) is not None else f"{what} is not set up"

    return check


def through_hook(pick: Callable[[SchedulerContext], JobHook | None]):  # noqa: ANN201 - a kind's run function
    async def run(context: SchedulerContext, job: JobContext) -> str | None:
        hook = pick(context)
        if hook is None:  # unwired since the job was planned: nothing to do rather than an error
            job.summary = "Not set up"
            return None
        summary = await hook(job)
        if summary is not None:
            job.summary = summary
        return summary

    return run


def search_wanted_hook(context: SchedulerContext) -> JobHook | None:
    """The hook, when there is an indexer to ask (without one, the job is "not set up", not offline)."""
    if not any(i.get("enabled", True) for i in context.settings.indexers):
        return None
    return context.search_wanted


def poll_clients_hook(context: SchedulerContext) -> JobHook | None:
    if not any(c.get("enabled", True) for c in context.settings.download_clients):
        return None
    return context.poll_clients


# ----- the hooks themselves, for whoever builds the context ------------------------------------------


def wire_acquisition(context: SchedulerContext, sources: SourcesGetter, poller: ClientPoller | None = None) -> None:
    """Give ``context`` the two acquisition hooks, both working through ``sources()`` (the indexers and
    clients of the current settings; the GUI keeps one set, ``bookdesk sync`` makes one for the run).
    ``poller``: the one that follows the clients for this library (the app's, which it also asks
    itself); one is made for the run when None."""
    if poller is None:
        poller = client_poller.ClientPoller(context.library, sources)

    async def search_wanted(job: JobContext) -> str:
        found = await sources()
        if not found.indexers:
            return "No indexer is set up"
        books = context.series_service().wanted()
        job.report(0.0, f"Searching for {len(books)} wanted books")
        results = await found.search.run(books)
        grabbed = sum(1 for r in results if r.grabbed)
        failed = [r for r in results if r.failed]
        for result in failed:
            log.warning("search for %s failed: %s", result.title, result.error)
        summary = f"{len(results)} searched, {grabbed} grabbed"
        return summary + (f", {len(failed)} failed" if failed else "")

    async def poll_clients(job: JobContext) -> str:
        outcomes = await poller.poll()
        imported = sum(1 for o in outcomes if o.state == "imported")
        failed = [o for o in outcomes if o.state == "failed" or o.error]
        for outcome in failed:
            log.warning("%s: %s", outcome.title, outcome.error)
        going = sum(1 for o in outcomes if o.state in ACTIVE_STATES)
        return f"{going} downloading, {imported} imported" + (f", {len(failed)} with problems" if failed else "")

    context.search_wanted = search_wanted
    context.poll_clients = poll_clients
