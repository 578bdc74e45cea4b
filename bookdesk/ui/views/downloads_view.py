"""The Downloads view: every download with a progress bar, speed, time left, state and source;
Pause, Resume, Cancel, Retry and Remove on the selected ones; new ones by address or from a catalog."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.acquisition.progress import DownloadProgress
from bookdesk.ui.acquisition_flow import AcquisitionFlow
from bookdesk.ui.models.downloads_model import PROGRESS_COLUMN, DownloadsModel
from bookdesk.ui.resources import icon
from bookdesk.ui.views.column_fit import ColumnFit
from bookdesk.ui.views.empty_state import EmptyState
from bookdesk.ui.views.list_table import list_table
from bookdesk.ui.views.progress_delegate import ProgressDelegate
from bookdesk.ui.worker_rows import WorkerRows

FILTERS = {"all": "All downloads", "active": "Active", "failed": "Failed", "done": "Finished"}
ACTIVE = ("queued", "running", "paused")
# Which states each action makes sense in; the buttons follow the selection.
ACTION_STATES = {
    "pause": ("queued", "running"),
    "resume": ("paused",),
    "cancel": ("queued", "running", "paused"),
    "retry": ("failed", "cancelled", "completed"),
    "remove": ("queued", "running", "paused", "completed", "imported", "failed", "cancelled"),
}
FLUSH_MS = 250  # progress arrives many times a second; the table is repainted a few times a second


class DownloadsView(QWidget):
    add_requested = Signal()  # "Add Address…"
    browse_requested = Signal()  # "Browse Catalogs…"

    def __init__(self, flow: AcquisitionFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.rows = WorkerRows(flow.worker, "Read the downloads", self)
        self.model = DownloadsModel(self)
        self.all: list[DownloadProgress] = []
        self.table = list_table(self.model, multi_select=True)
        self.table.setItemDelegateForColumn(PROGRESS_COLUMN, ProgressDelegate(self.table))
        self.columns = ColumnFit(self.table, elastic=(0, 6, 8))  # title, source, problem: long text
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        add = QPushButton("Add Address…")
        add.setToolTip("Download books from web addresses")
        add.clicked.connect(self.add_requested.emit)
        browse = QPushButton("Browse Catalogs…")
        browse.setToolTip("Browse and search OPDS catalogs (calibre, Kavita, Komga, Standard Ebooks, Gutenberg)")
        browse.clicked.connect(self.browse_requested.emit)
        bar.addWidget(add)
        bar.addWidget(browse)
        bar.addStretch(1)
        self.show_only = QComboBox()
        for key, text in FILTERS.items():
            self.show_only.addItem(text, key)
        self.show_only.currentIndexChanged.connect(lambda _i: self.apply_filter())
        bar.addWidget(self.show_only)
        # The actions on the selection in a row of their own: the view fits a small window.
        actions = QHBoxLayout()
        for action in ACTION_STATES:
            button = QPushButton(action.capitalize())
            button.clicked.connect(lambda _checked=False, a=action: self.act(a))
            self.buttons[action] = button
            actions.addWidget(button)
        actions.addStretch(1)
        self.note = QLabel()
        self.note.setStyleSheet("color: palette(placeholder-text);")
        actions.addWidget(self.note)
        self.empty = EmptyState(icon("downloads"), "No downloads",
                                "Books you fetch by address, from OPDS catalogs or through indexers show their "
                                "progress here, and import themselves when they arrive.")
        self.empty.add_action("Add Address…", self.add_requested.emit)
        self.empty.add_action("Browse Catalogs…", self.browse_requested.emit)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addLayout(actions)
        self._pending: dict[int, DownloadProgress] = {}
        self._heard_since_read: dict[int, DownloadProgress] = {}  # the queue's news since the newest read began
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush)
        flow.progressed.connect(self._on_progress)
        flow.downloads_changed.connect(lambda: self.refresh() if self.isVisible() else None)
        self._update_buttons()

    @property
    def loading(self) -> bool:
        return self.rows.loading

    def refresh(self) -> None:
        """Read the downloads again, on the worker; the rows shown stay until the new ones come."""
        if not self.all:
            self.note.setText("Loading downloads…")
        self._pending.clear()  # news until now: the read has it
        self._heard_since_read = {}
        self.rows.load(self.flow.records, self._show)

    def _show(self, records: list[DownloadProgress]) -> None:
        self.all = records
        self.apply_filter()
        # News heard while the worker read may be newer than what it read: it goes over the rows read.
        self._pending, self._heard_since_read = self._heard_since_read, {}
        if self._pending:
            self._flush()

    def apply_filter(self) -> None:
        keep = self.selected_ids()
        self.model.set_records([p for p in self.all if self._shown(p)])
        self.stack.setCurrentWidget(self.table if self.all else self.empty)
        self._count()
        self._reselect(keep)
        self._update_buttons()

    def _count(self) -> None:
        """The footer, from the states as they are now: the queue's news changes them between refreshes."""
        active = sum(1 for p in self.all if p.state in ACTIVE and p.state != "paused")  # paused: waits for you
        paused = sum(1 for p in self.all if p.state == "paused")
        failed = sum(1 for p in self.all if p.state == "failed")
        parts = [f"{active} active", f"{paused} paused" if paused else "", f"{failed} failed" if failed else "",
                 f"{len(self.all)} in all"]
        self.note.setText(" · ".join(filter(None, parts)) if self.all else "")

    def _shown(self, progress: DownloadProgress) -> bool:
        kind = self.show_only.currentData()
        if kind == "active":
            return progress.state in ACTIVE
        if kind == "failed":
            return progress.state in ("failed", "cancelled")
        if kind == "done":
            return progress.state in ("completed", "imported")
        return True

    def selected_ids(self) -> list[int]:
        return [self.model.records[index.row()].id for index in self.table.selectionModel().selectedRows()]

    def _selected(self) -> list[DownloadProgress]:
        return [self.model.records[index.row()] for index in self.table.selectionModel().selectedRows()]

    def _reselect(self, ids: list[int]) -> None:
        for row, progress in enumerate(self.model.records):
            if progress.id in ids:
                self.table.selectRow(row)

    def act(self, action: str) -> None:
        chosen = [p.id for p in self._selected() if self._can(action, p)]
        if not chosen:
            return
        self.flow.act(action, chosen)
        self.refresh()

    def _update_buttons(self) -> None:
        chosen = self._selected()
        for action, button in self.buttons.items():
            button.setEnabled(any(self._can(action, p) for p in chosen))

    def _can(self, action: str, progress: DownloadProgress) -> bool:
        if progress.state not in ACTION_STATES[action]:
            return False
        # A torrent is paused and resumed in its client; here it can be forgotten, or its release given up
        # for the next one.
        return progress.id not in self.flow.client_ids or action in ("remove", "retry")

    # ----- news from the queue -----------------------------------------------------------------

    def _on_progress(self, progress: DownloadProgress) -> None:
        self._pending[progress.id] = progress
        if self.loading:
            self._heard_since_read[progress.id] = progress
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        known = {p.id: i for i, p in enumerate(self.all)}
        for progress in pending.values():
            if progress.state == "removed":  # the queue's last word on a download it forgot
                self.all = [p for p in self.all if p.id != progress.id]
                known = {p.id: i for i, p in enumerate(self.all)}
                self.model.remove_id(progress.id)
                continue
            if progress.id in known:
                self.all[known[progress.id]] = progress
            else:
                self.all.insert(0, progress)
            if self._shown(progress):
                self.model.upsert(progress)
            else:
                self.model.remove_id(progress.id)
        self.stack.setCurrentWidget(self.table if self.all else self.empty)
        self._count()
        self._update_buttons()
