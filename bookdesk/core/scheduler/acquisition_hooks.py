"""The two scheduled kinds whose work lives in acquisition: searching for wanted books and following
the download clients. They run through hooks on the context, wired by whoever builds it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import JobHook, SchedulerContext
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import Download

ACTIVE_STATES = ("queued", "running", "paused")


def client_downloads_active(catalog: Catalog) -> bool:
    """Is a download client working on something of ours (a torrent or usenet download not yet done)?
    Downloads over plain HTTP are the download queue's own business, not the clients'."""
    with catalog.read() as session:
        return session.execute(select(Download.id).where(Download.kind != "http", Download.state.in_(ACTIVE_STATES))
                               .limit(1)).first() is not None


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
    return context.search_wanted


def poll_clients_hook(context: SchedulerContext) -> JobHook | None:
    return context.poll_clients
