"""The status bar and the jobs running: a line of text, the running job's progress with Cancel, how many
identifications wait for review, and what a job's end or failure is worth saying."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from bookdesk.core.jobs import JobEvent
from bookdesk.core.worker import Worker
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter


class JobStatus(QObject):
    job_seen = Signal(object, list)  # a JobEvent, once shown; the titles of the jobs still running
    review_requested = Signal()  # the "to review" button was pressed

    def __init__(self, bar: QStatusBar, worker: Worker, presenter: ErrorPresenter,
                 is_scheduled: Callable[[str], bool], library: Path) -> None:
        super().__init__(bar)
        self.worker, self.presenter, self.is_scheduled = worker, presenter, is_scheduled
        self.running: dict[str, JobEvent] = {}  # by correlation id, in the order they started
        self.last_failed: str | None = None  # the reference "Report a Problem" offers first
        self.label = QLabel(f"Library: {library}")
        self.label.setToolTip(f"Library: {library}")  # still there once the line says something else
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setFlat(True)
        self.cancel_button.clicked.connect(self.cancel_running)
        self.review_button = QPushButton()
        self.review_button.setFlat(True)
        self.review_button.clicked.connect(self.review_requested)
        bar.addWidget(self.label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.review_button)
        self.progress.hide()
        self.cancel_button.hide()

    def say(self, text: str) -> None:
        self.label.setText(text)

    def show_review_count(self, count: int) -> None:
        self.review_button.setText(f"{count:,} to review")
        self.review_button.setVisible(count > 0)

    def cancel_running(self) -> None:
        for cid in list(self.running):
            self.worker.cancel(cid)

    def started_by_the_person(self) -> list[JobEvent]:
        """The running jobs worth asking about at quit: not the scheduled ones."""
        return [e for e in self.running.values() if not self.is_scheduled(e.kind)]

    def on_job_event(self, event: JobEvent) -> None:
        if event.finished:
            self.running.pop(event.correlation_id, None)
        else:
            self.running[event.correlation_id] = event
        if self.running:
            current = next(reversed(self.running.values()))
            self.progress.setValue(int(current.progress * 1000))
            self.progress.show()
            self.cancel_button.show()
            self.say(f"{current.title}: {current.message or 'starting…'}")
        else:
            self.progress.hide()
            self.cancel_button.hide()
        self._say_outcome(event)
        self.job_seen.emit(event, [e.title for e in self.running.values()])

    def _say_outcome(self, event: JobEvent) -> None:
        if event.state == "failed":
            self.last_failed = event.correlation_id
            if self.is_scheduled(event.kind):
                # A scheduled job failing is said quietly (Activity, the tray), not in a dialog nobody asked for.
                self.say(f"{event.title} failed (Ref {event.correlation_id}): see Activity")
            else:
                self.presenter.report(event.error or f"{event.title} failed.", event.correlation_id,
                                      event.error_detail or "")
                self.say(f"{event.title} failed (Ref {event.correlation_id})")
        elif event.finished:
            self.say(f"{event.title}: {event.summary or event.state}")
