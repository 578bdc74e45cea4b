"""The Scheduler page at the Settings dialog's own size: every job's name whole, every header whole,
nothing to scroll sideways."""

from __future__ import annotations

from datetime import timedelta

from bookdesk.core.scheduler.entries import ScheduleEntry
from bookdesk.core.scheduler.kinds import KINDS
from bookdesk.ui.look_check import clipped_headers
from tests.ui import settings_dialog_harness
from tests.ui.test_settings_dialog_scheduler import NOW, FakeScheduler, scheduler_dialog

secrets, make_dialog = settings_dialog_harness.secrets, settings_dialog_harness.make_dialog


class EveryKind(FakeScheduler):
    """Every real kind of scheduled job, by its real title, one of them run a while ago."""

    def __init__(self) -> None:
        super().__init__()
        self._entries = {kind.name: ScheduleEntry(kind.name, kind.title, True, kind.interval_seconds,
                                                  NOW - timedelta(days=3), NOW + timedelta(hours=5), False)
                         for kind in KINDS}


def test_every_job_name_shows_whole_on_the_scheduler_page(qtbot, make_dialog) -> None:  # noqa: ANN001
    page = scheduler_dialog(make_dialog, EveryKind()).scheduler_page
    table = page.table
    qtbot.waitUntil(lambda: table.rowCount() == len(KINDS) and table.viewport().width() > 0)
    qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible())
    assert clipped_headers(table.horizontalHeader()) == []
    job_column = table.columnWidth(0)
    assert job_column >= table.sizeHintForColumn(0)  # Qt's own measure of the longest: check box, margins, name
    for row in range(table.rowCount()):
        name = table.item(row, 0).text()
        room = job_column - table.style().pixelMetric(table.style().PixelMetric.PM_IndicatorWidth)
        assert table.fontMetrics().horizontalAdvance(name) <= room, name

