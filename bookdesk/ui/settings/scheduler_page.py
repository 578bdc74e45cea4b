"""Scheduler: the jobs BookDesk runs by itself, each switched on or off, how often, when it ran and
runs next, what it is doing, and Run Now; and the global pause.

Switching a job and its interval take effect on Save like every other setting; the pause is the
``automation_paused`` setting, which whoever saves the settings hands to the scheduler (as the tray's
Pause does). Run Now acts at once. While shown, the page reads the schedule again every few seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.scheduler.entries import ScheduleEntry
from bookdesk.core.scheduler.timing import check_interval
from bookdesk.core.settings import Settings
from bookdesk.errors import BookDeskError
from bookdesk.ui.resources import icon
from bookdesk.ui.settings.interval_edit import IntervalEdit
from bookdesk.ui.settings.page import SettingsPage
from bookdesk.ui.settings.schedule_text import (
    last_run_text,
    local_text,
    next_run_text,
    off_text,
    state_text,
    utc_now,
)
from bookdesk.ui.theme import tone
from bookdesk.ui.views.empty_state import EmptyState

log = logging.getLogger(__name__)
REFRESH_MS = 3000
JOB, EVERY, LAST, NEXT, STATE, RUN = range(6)
HEADERS = ("Job", "Every", "Last run", "Next run", "State", "")
# The longest states a job is in by the by (offline, running): the room the State column asks for. A
# longer one (what switching a job off leaves undone) is cut short, whole in its tooltip.
ROOMY_STATES = ("Waiting for the network", "Running (Ref BD-MMMMM)")
CELL_MARGINS = 12  # a cell's text margins and the grid line, both sides together


class ScheduleControls(Protocol):
    """What the page needs of the scheduler (core's ``Scheduler`` has it)."""

    def entries(self) -> list[ScheduleEntry]: ...

    def set_enabled(self, kind: str, enabled: bool) -> None: ...

    def set_interval(self, kind: str, seconds: int) -> None: ...

    def run_now(self, kind: str) -> str: ...

    @property
    def paused(self) -> bool: ...


class SchedulerPage(SettingsPage):
    key = "scheduler"
    title = "Scheduler"
    run_started = Signal(str, str)  # kind, correlation id: a job started by Run Now

    def __init__(self, settings: Settings, scheduler: ScheduleControls | None = None,
                 parent: QWidget | None = None, *, now: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self.scheduler, self._now = scheduler, now
        self._enabled_edits: dict[str, bool] = {}
        self._interval_edits: dict[str, int] = {}
        self._pause_edited = False
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if scheduler is None:
            self.table = None
            self.pause_box = None
            self.empty = EmptyState(icon("activity"), "Automation is not running",
                                    "Scheduled jobs (checking for new books, searching for wanted ones, "
                                    "following downloads, backing up the catalog) run while BookDesk is open "
                                    "with a library. Open BookDesk on a library to set them up here.")
            layout.addWidget(self.empty)
            return

        self.pause_box = QCheckBox("&Pause automation: start no job by itself (Run Now still works)")
        self.pause_box.setChecked(settings.automation_paused)
        self.pause_box.toggled.connect(self._pause_toggled)
        intro = QLabel("BookDesk runs these jobs by itself while it is open (also from the tray). "
                       "Tick a job to switch it on; a job missed while the computer was off runs once "
                       "when it is back.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves to the interval boxes and buttons, not cell to cell
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Every job's name whole; the state takes what room is left, cut short (its whole text in the
        # tooltip) when a long one (what switching a job off leaves undone) does not fit.
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.Stretch)
        for column in (JOB, EVERY, LAST, NEXT, RUN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        layout.addWidget(self.pause_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.kinds: list[str] = []
        self.interval_edits: dict[str, IntervalEdit] = {}
        self.run_buttons: dict[str, QPushButton] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.refresh()

    # ----- showing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the schedule again; what the person changed and has not saved stays as they left it."""
        if self.scheduler is None or self.table is None:
            return
        try:
            entries = self.scheduler.entries()
        except BookDeskError as exc:
            self._say(exc.message, ok=False)
            return
        except Exception:  # a timer slot must not raise: a busy catalog is tried again at the next tick
            log.warning("could not read the schedule", exc_info=True)
            self._say("The schedule could not be read just now; it is tried again in a moment.", ok=False)
            return
        now = self._now()
        self._filling = True
        try:
            if not self._pause_edited and self.pause_box is not None:
                self.pause_box.setChecked(self.scheduler.paused)  # the tray may have paused meanwhile
            paused = self.pause_box.isChecked() if self.pause_box is not None else False
            if [e.kind for e in entries] != self.kinds:
                self._build_rows(entries)
            for row, entry in enumerate(entries):
                title = self.table.item(row, JOB)
                if entry.kind not in self._enabled_edits:
                    title.setCheckState(Qt.CheckState.Checked if entry.enabled else Qt.CheckState.Unchecked)
                enabled = self._enabled_edits.get(entry.kind, entry.enabled)
                if entry.kind not in self._interval_edits:
                    self.interval_edits[entry.kind].set_seconds(entry.interval_seconds)
                self._set_text(row, LAST, last_run_text(entry.last_run, now, entry.last_outcome),
                               local_text(entry.last_run) if entry.last_run else "")
                self._set_text(row, NEXT, next_run_text(entry, now, paused) if enabled else "—",
                               local_text(entry.next_run) if entry.next_run and enabled else "")
                state = state_text(entry, paused) if enabled or entry.running else off_text(entry)
                needs = entry.needs_network and not entry.waiting_for_network  # else the state says it
                self._set_text(row, STATE, state, f"{state} (it needs the network)" if needs else state)
        finally:
            self._filling = False

    def _build_rows(self, entries: list[ScheduleEntry]) -> None:
        self.kinds = [e.kind for e in entries]
        self.table.setRowCount(len(entries))
        self.interval_edits.clear()
        self.run_buttons.clear()
        for row, entry in enumerate(entries):
            title = QTableWidgetItem(entry.title)
            title.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            title.setData(Qt.ItemDataRole.UserRole, entry.kind)
            title.setToolTip(f"{entry.title}: tick to let BookDesk run it by itself")
            self.table.setItem(row, JOB, title)
            for column in (LAST, NEXT, STATE):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
            edit = IntervalEdit(entry.interval_seconds)
            edit.setToolTip(f"How often: {entry.title.lower()}")
            edit.changed.connect(lambda seconds, kind=entry.kind: self._interval_changed(kind, seconds))
            self.interval_edits[entry.kind] = edit
            self.table.setCellWidget(row, EVERY, edit)
            button = QPushButton("Run Now")
            button.setToolTip(f"{entry.title}, now")
            button.clicked.connect(lambda _=False, kind=entry.kind: self.run_now(kind))
            self.run_buttons[entry.kind] = button
            self.table.setCellWidget(row, RUN, button)
        self.table.resizeRowsToContents()

    def wanted_width(self) -> int:
        """How wide the page would be to show every job's name, times and usual state whole (see
        ROOMY_STATES); 0 without a scheduler."""
        if self.table is None:
            return 0
        table, header = self.table, self.table.horizontalHeader()
        columns = sum(max(header.sectionSizeHint(c), table.sizeHintForColumn(c))
                      for c in range(table.columnCount()) if c != STATE)
        state = max(table.fontMetrics().horizontalAdvance(text) for text in ROOMY_STATES) + CELL_MARGINS
        return columns + max(state, header.sectionSizeHint(STATE)) + 2 * table.frameWidth() \
            + table.verticalScrollBar().sizeHint().width()

    def _set_text(self, row: int, column: int, text: str, tip: str) -> None:
        item = self.table.item(row, column)
        if item.text() != text:
            item.setText(text)
        item.setToolTip(tip)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.scheduler is not None:
            self.refresh()
            self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self.scheduler is not None:
            self._timer.stop()

    # ----- changing ------------------------------------------------------------------------

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != JOB:
            return
        kind = item.data(Qt.ItemDataRole.UserRole)
        self._enabled_edits[kind] = item.checkState() == Qt.CheckState.Checked
        self.refresh()

    def _pause_toggled(self, _on: bool) -> None:
        if not self._filling:
            self._pause_edited = True
            self.refresh()

    def _interval_changed(self, kind: str, seconds: int) -> None:
        if not self._filling:
            self._interval_edits[kind] = seconds

    def run_now(self, kind: str) -> str:
        """Start a job at once; says what started or why it cannot. Returns its correlation id ("" if none)."""
        if self.scheduler is None:
            return ""
        title = self._title(kind)
        try:
            correlation_id = self.scheduler.run_now(kind)
        except BookDeskError as exc:
            self._say(exc.message, ok=False)
            return ""
        self._say(f"Started: {title} (Ref {correlation_id}). The Activity view follows it.", ok=True)
        self.run_started.emit(kind, correlation_id)
        self.refresh()
        return correlation_id

    def _title(self, kind: str) -> str:
        row = self.kinds.index(kind) if kind in self.kinds else -1
        return self.table.item(row, JOB).text() if row >= 0 and self.table is not None else kind

    def _say(self, text: str, *, ok: bool) -> None:
        if self.table is None:
            return
        self.status.setText(text)
        tone(self.status, None if ok else "problem")

    def values(self, settings: Settings) -> Settings:
        for seconds in self._interval_edits.values():
            check_interval(seconds)
        if self.pause_box is None:
            return settings
        return replace(settings, automation_paused=self.pause_box.isChecked())

    def commit(self) -> None:
        """Hand the switched jobs and their intervals to the scheduler."""
        if self.scheduler is None:
            return
        current = {e.kind: e for e in self.scheduler.entries()}
        for kind, enabled in self._enabled_edits.items():
            if kind in current and current[kind].enabled != enabled:
                self.scheduler.set_enabled(kind, enabled)
        for kind, seconds in self._interval_edits.items():
            if kind in current and current[kind].interval_seconds != seconds:
                self.scheduler.set_interval(kind, seconds)
        self._enabled_edits.clear()
        self._interval_edits.clear()
        self._pause_edited = False
