"""Scheduled jobs (issue 7): what runs by itself, how often, and the loop that starts it.

``Scheduler`` (scheduler.py) holds the rules; ``stored_schedule.py`` what the catalog keeps of the
schedule; ``kinds.py`` the jobs; ``context.py`` what they are given; ``clock.py`` the real clock (the
tests' fake one is tests/fakes/clock.py).
"""

from bookdesk.core.scheduler.clock import Clock, SystemClock
from bookdesk.core.scheduler.context import JobHook, SchedulerContext
from bookdesk.core.scheduler.entries import ScheduleEntry, StartedRun, SyncResult
from bookdesk.core.scheduler.kinds import KINDS, JobKind
from bookdesk.core.scheduler.network import tcp_probe, url_probe
from bookdesk.core.scheduler.scheduler import JobNotReadyError, Scheduler

__all__ = ["KINDS", "Clock", "JobHook", "JobKind", "JobNotReadyError", "ScheduleEntry", "Scheduler",
           "SchedulerContext", "StartedRun", "SyncResult", "SystemClock", "tcp_probe", "url_probe"]
