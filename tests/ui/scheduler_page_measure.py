"""Run as ``python -m tests.ui.scheduler_page_measure``: opens the Settings dialog at its own default size
on the Scheduler page, with every kind of scheduled job in its longest state (the network ones waiting
for the network, the others running with a Ref, one switched off with what that leaves undone), on
whatever screen the Qt platform gives (a test gives it 1280×800), and prints what a person would see as
JSON: the screen, the dialog, whether the table scrolls sideways, and each row's job name and state with
the room each has."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from PySide6.QtWidgets import QApplication

from bookdesk.core.scheduler.entries import ScheduleEntry
from bookdesk.core.scheduler.kinds import KINDS
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import Settings
from bookdesk.ui.settings.settings_dialog import SettingsDialog
from tests.ui.test_settings_dialog_scheduler import NOW, FakeScheduler

PAD = 8  # a cell's text margins, both sides together, at the least


class Longest(FakeScheduler):
    def __init__(self) -> None:
        super().__init__()
        self._entries = {}
        for n, kind in enumerate(KINDS):
            entry = ScheduleEntry(kind.name, kind.title, not kind.when_off, kind.interval_seconds,
                                  NOW - timedelta(days=3), NOW + timedelta(hours=5), False, kind.needs_network,
                                  waiting_for_network=kind.needs_network, when_off=kind.when_off,
                                  last_outcome="cancelled")
            if not kind.needs_network and kind.when_off is None:
                entry = ScheduleEntry(kind.name, kind.title, True, kind.interval_seconds, NOW - timedelta(days=3),
                                      None, True, correlation_id=f"BD-{n}QW7K", last_outcome="cancelled")
            self._entries[kind.name] = entry


def measure() -> dict:
    app = QApplication.instance() or QApplication(sys.argv)
    with TemporaryDirectory() as home:
        dialog = SettingsDialog(Settings(), InMemorySecretStore(), scheduler=Longest(), page="scheduler",
                                library=Path(home) / "Library", tray_available=True)
        page = dialog.scheduler_page
        page._now = lambda: NOW
        page.refresh()
        dialog.show()
        for _ in range(50):
            app.processEvents()
        table = page.table
        metrics, style = table.fontMetrics(), table.style()
        box = style.pixelMetric(style.PixelMetric.PM_IndicatorWidth)
        rows = [{"name": table.item(row, 0).text(),
                 "name_room": table.columnWidth(0) - box,
                 "name_width": metrics.horizontalAdvance(table.item(row, 0).text()),
                 "state": table.item(row, 4).text(), "state_tip": table.item(row, 4).toolTip(),
                 "state_room": table.columnWidth(4) - PAD,
                 "state_width": metrics.horizontalAdvance(table.item(row, 4).text())}
                for row in range(table.rowCount())]
        screen = app.primaryScreen().availableGeometry()
        said = {"screen": [screen.width(), screen.height()], "dialog": [dialog.width(), dialog.height()],
                # Qt's own measure of what the longest name needs (check box, margins, text), and what it has
                "job_needs": table.sizeHintForColumn(0), "job_has": table.columnWidth(0),
                "scrolls_sideways": table.horizontalScrollBar().isVisible(), "rows": rows}
        dialog.close()
    return said


if __name__ == "__main__":
    print(json.dumps(measure()))
