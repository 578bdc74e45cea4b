"""A scheduled job that would touch many books asks the person first instead of starting by itself
(the weekly refresh over 2,331 books just imported); and a run the person cancelled is shown as
cancelled, not as a run."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bookdesk.core.scheduler import kinds
from bookdesk.core.scheduler.recent_metadata import ASK_OVER
from bookdesk.data.models import Work
from tests.core.scheduler.helpers import HOURLY, entry_of, settle


def add_recent_books(service, clock, count: int) -> None:  # noqa: ANN001 - the library, the fake clock
    now = clock.now()
    with service.catalog.write() as session:
        session.add_all([Work(title=f"Book {n}", sort_title=f"Book {n}", added_at=now - timedelta(hours=1),
                              updated_at=now) for n in range(count)])


def test_the_refresh_over_many_new_books_asks_first_and_starts_nothing(make_scheduler, context, service, clock):
    add_recent_books(service, clock, ASK_OVER + 1)
    asked: list[tuple[str, str]] = []
    context.ask = lambda kind, question: asked.append((kind, question))
    scheduler = make_scheduler([kinds.REFRESH_METADATA])

    started = asyncio.run(scheduler.tick())
    assert started == []
    [(kind, question)] = asked
    assert kind == "refresh-metadata" and f"{ASK_OVER + 1:,} books" in question
    entry = entry_of(scheduler, "refresh-metadata")
    assert entry.last_run is None and not entry.running  # not run, and not said to have run
    assert scheduler.due() == []  # not asked again at the next tick

    [result] = asyncio.run(scheduler.sync(every=True))  # Sync Now asks too, and says it waits
    assert (result.status, result.correlation_id) == ("waiting", None)
    assert len(asked) == 2


def test_a_few_new_books_are_refreshed_without_asking(make_scheduler, context, service, clock):
    add_recent_books(service, clock, 3)
    asked: list[tuple[str, str]] = []
    context.ask = lambda kind, question: asked.append((kind, question))
    assert kinds.REFRESH_METADATA.ask_first(context) is None
    assert asked == []


def test_run_now_is_the_go_ahead_and_a_cancelled_run_is_shown_as_cancelled(make_scheduler, recorder, clock):
    recorder.hold.add("scan")
    scheduler = make_scheduler([recorder.kind("scan", HOURLY)])

    async def story():
        scheduler.run_now("scan")
        await settle(lambda: recorder.runs == ["scan"])
        task = next(t for t in asyncio.all_tasks() if t is not asyncio.current_task())
        task.cancel()
        await settle(lambda: not entry_of(scheduler, "scan").running)

    asyncio.run(story())
    entry = entry_of(scheduler, "scan")
    assert entry.last_run is None  # it never ran to its end
    assert entry.last_outcome == "cancelled"
