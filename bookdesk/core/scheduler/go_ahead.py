"""Asking first: a scheduled job that would touch many books (the weekly refresh after a big import)
does not start by itself. The person is asked (``SchedulerContext.ask``, a question in the window), the
job is planned again one interval later and not recorded as run; "Run now" is the go-ahead."""

from __future__ import annotations

from datetime import datetime

from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.core.scheduler.kinds import JobKind
from bookdesk.core.scheduler.stored_schedule import StoredSchedule


def asked_first(kind: JobKind, context: SchedulerContext, stored: StoredSchedule, now: datetime) -> str | None:
    """The question put to the person instead of a run they did not ask for; None: it may go on."""
    question = kind.ask_first(context)
    if question:
        stored.skip(kind, now, f"waiting for the go-ahead: {question}")
        if context.ask is not None:
            context.ask(kind.name, question)
    return question
