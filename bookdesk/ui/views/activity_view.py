"""The Activity view: every job with its state, progress and reference id, and the log of the selected one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core import logging_setup
from bookdesk.core.jobs import JobEvent
from bookdesk.core.library_service import LibraryService
from bookdesk.core.worker import Worker
from bookdesk.data.catalog_rows import JobRecord
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.resources import icon
from bookdesk.ui.views.activity_downloads import with_downloads
from bookdesk.ui.views.column_fit import ColumnFit
from bookdesk.ui.views.empty_state import EmptyState
from bookdesk.ui.views.list_table import list_table
from bookdesk.ui.worker_rows import WorkerRows

STATE_TEXT = {"queued": "Queued", "running": "Running", "paused": "Paused", "succeeded": "Done", "failed": "Failed",
              "cancelled": "Cancelled", "interrupted": "Interrupted"}


def _when(job: JobRecord) -> str:
    """The catalog keeps UTC; a person reads local time."""
    moment = job.started_at or job.created_at
    return moment.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else ""


COLUMNS: list[ColumnSpec[JobRecord]] = [
    ColumnSpec("State", lambda j: STATE_TEXT.get(j.state, j.state)),
    ColumnSpec("Job", lambda j: j.title),
    ColumnSpec("Progress", lambda j: f"{j.progress:.0%}", align_right=True),
    ColumnSpec("Ref", lambda j: j.correlation_id),
    ColumnSpec("Started", _when),
    # A failed job says why, and what it did before it stopped when it says (an import: "nothing added").
    ColumnSpec("Result", lambda j: " — ".join(filter(None, (j.error, j.summary))) if j.error else j.summary or j.message),
]


UNDOABLE = ("import", "identify", "edit", "remove", "remove-format", "merge", "split",  # core/removal/
            "abs-push", "abs-sync")  # core/audiobookshelf/push_undo.py: the server's values go back


def _with_event(job: JobRecord, event: JobEvent) -> JobRecord:
    return replace(job, state=event.state, progress=event.progress, message=event.message,
                   summary=event.summary or job.summary, error=event.error or job.error)
UNDO_TIPS = {"undoable": "Revert every change this job made: the books it imported, the fields it set, the books "
                         "it removed, merged or split.",
             "undone": "This job was undone already: there is nothing left of it to undo.",
             "nothing": "This job changed nothing that can be undone."}
LOG_LINES = 500  # the newest lines of a job's log shown


class ActivityView(QWidget):
    undo_requested = Signal(str)  # correlation id
    sync_requested = Signal()  # "Sync Now" from the empty view

    def __init__(self, service: LibraryService, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.log_lines = WorkerRows(worker, "Read a job's log", self)
        self.model: RecordTableModel[JobRecord] = RecordTableModel(COLUMNS, self)
        self.jobs: list[JobRecord] = []  # every job read; the model holds those the search keeps
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a job by its Ref (BD-…) or words of its title")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._apply_search())
        self.table = list_table(self.model)
        self.columns = ColumnFit(self.table, elastic=(1, 5))  # the job's title and its result
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.log_title = QLabel("Select a job to see its log.")
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.undo_button = QPushButton("Undo This Job")
        self.undo_button.setToolTip(UNDO_TIPS["undoable"])
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(lambda: self.undo_requested.emit(self.selected_job() or ""))
        title_row = QHBoxLayout()
        title_row.addWidget(self.log_title, 1)
        title_row.addWidget(self.undo_button)
        lower_layout.addLayout(title_row)
        lower_layout.addWidget(self.log)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.search)
        upper_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setSizes([400, 200])
        self.empty = EmptyState(icon("activity"), "Nothing has happened yet",
                                "Imports, identifications, downloads and scheduled jobs show here as they run, "
                                "each with its progress, its reference (BD-…) and its log. Scheduled jobs start "
                                "a minute after BookDesk does.")
        self.empty.add_action("Sync Now", self.sync_requested.emit)
        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.stack)
        self.refresh()

    def refresh(self) -> None:
        self.jobs = with_downloads(self.service.jobs(), self.service.downloads())
        self._apply_search()

    def _apply_search(self) -> None:
        """Jobs whose Ref or title holds what is typed; a Ref found selects its job, so its log shows."""
        wanted = self.search.text().strip().casefold()
        shown = [j for j in self.jobs if wanted in j.correlation_id.casefold() or wanted in j.title.casefold()]
        if wanted and not shown and wanted.startswith("bd-"):  # an old job, beyond the newest read
            found = self.service.job(wanted.upper())
            shown = [found] if found is not None else []
        self.model.set_records(shown)
        self._show_stack()
        if wanted and len(shown) == 1:
            self.table.selectRow(0)

    def _show_stack(self) -> None:
        self.stack.setCurrentIndex(0 if self.model.records or self.search.text() else 1)

    def on_job_event(self, event: JobEvent) -> None:
        """Keep a job's row current as its events arrive, without re-reading the catalog."""
        for index, job in enumerate(self.jobs):  # what the search shows again later is current too
            if job.correlation_id == event.correlation_id:
                self.jobs[index] = _with_event(job, event)
        for row, job in enumerate(self.model.records):
            if job.correlation_id == event.correlation_id:
                self.model.replace(row, _with_event(job, event))
                if self.selected_job() == event.correlation_id and event.finished:
                    self._show_log(event.correlation_id)
                if event.finished:  # an undo finished: the selected job may have nothing left to undo
                    self._update_undo(self._selected_record())
                return
        job = self.service.job(event.correlation_id)
        if job is not None:
            self.jobs.insert(0, job)
            self._apply_search()

    def select_job(self, correlation_id: str) -> None:
        for row, job in enumerate(self.model.records):
            if job.correlation_id == correlation_id:
                self.table.selectRow(row)
                return

    def selected_job(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.records[rows[0].row()].correlation_id if rows else None

    def _selected_record(self) -> JobRecord | None:
        cid = self.selected_job()
        return next((j for j in self.model.records if j.correlation_id == cid), None)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        cid = self.selected_job()
        job = self._selected_record()
        self._update_undo(job)
        if cid:
            self._show_log(cid)

    def _update_undo(self, job: JobRecord | None) -> None:
        """Undo This Job only for a job with something left to undo; else its tooltip says why not."""
        state = self.service.undo_state(job.correlation_id) \
            if job is not None and job.kind in UNDOABLE and job.state == "succeeded" else None
        if state == "nothing" and any(j.kind == "undo" and j.state == "succeeded" and
                                      j.title == f"Undo of {job.correlation_id}" for j in self.jobs):
            state = "undone"  # an import's undo forgets what it imported
        self.undo_button.setEnabled(state == "undoable")
        self.undo_button.setToolTip(UNDO_TIPS.get(state, UNDO_TIPS["undoable"]))

    def _show_log(self, correlation_id: str) -> None:
        """The job's log lines, read on the worker: a full log is six files of 5 MB."""
        job = next((j for j in self.model.records if j.correlation_id == correlation_id), None)
        self.log_title.setText(f"Log of {job.title if job else ''} — Ref {correlation_id}")
        self.log.setPlainText("Reading the log…")
        since = job.created_at if job is not None else None
        self.log_lines.load(logging_setup.lines_for, lambda lines: self._show_lines(job, lines), correlation_id,
                            LOG_LINES, since)

    def _show_lines(self, job: JobRecord | None, lines: list[dict]) -> None:
        text = logging_setup.format_lines(lines)
        if job is not None and job.error and job.error not in text:
            text = f"{job.error}\n\n{text}"
        self.log.setPlainText(text or "No log lines for this job.")
