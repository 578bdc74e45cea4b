"""Fixtures for the scheduler tests: a fake clock, a context over a real catalog, a fake network and
a recorder of runs (see helpers.py)."""

from __future__ import annotations

import pytest

from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.core.scheduler.scheduler import Scheduler
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import Settings
from tests.core.scheduler.helpers import Network, Recorder
from tests.fakes.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def context(service) -> SchedulerContext:
    made = SchedulerContext(service, Settings(), InMemorySecretStore())
    yield made
    made.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def network() -> Network:
    return Network()


@pytest.fixture
def make_scheduler(context, clock, network):
    """``make_scheduler(kinds, draw=..., paused=...)``: a Scheduler over the test's catalog, the fake
    clock and the fake network; jobs run as tasks of the test's own loop."""
    def make(kinds, **options) -> Scheduler:
        options.setdefault("draw", lambda: 0.0)
        options.setdefault("clock", clock)
        return Scheduler(context, kinds=kinds, network_up=network, **options)

    return make
