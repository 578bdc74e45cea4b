"""The window's process hands the GIL over at most every millisecond (bookdesk/ui/gil_turns.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from bookdesk.ui.gil_turns import GUI_SWITCH_INTERVAL_S, quicken_gil_turns


@pytest.fixture
def switch_interval() -> Iterator[None]:
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_cpython_default_is_shortened_for_the_window(switch_interval: None) -> None:
    sys.setswitchinterval(0.005)
    quicken_gil_turns()
    assert sys.getswitchinterval() <= GUI_SWITCH_INTERVAL_S


def test_a_shorter_interval_already_set_is_kept(switch_interval: None) -> None:
    sys.setswitchinterval(0.0002)
    quicken_gil_turns()
    assert sys.getswitchinterval() == pytest.approx(0.0002)
