"""Undo of the person's own edits, newest first (Edit → Undo, Ctrl+Z): a value typed in the library
table, or a whole edit of one or many books made in a dialog (its Ref, reverted as a job)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from bookdesk.core.editing.service import EditOutcome
from bookdesk.core.library_service import LibraryService
from bookdesk.core.scheduler.entries import SyncResult
from bookdesk.data.catalog_rows import FieldChangeRecord

PUSHING = {"abs-sync": "Sync with Audiobookshelf"}  # the scheduler's jobs that push, as Edit → Undo names them


@dataclass(frozen=True)
class JobDone:
    """A job of the person's own undone whole by its Ref (a removal, a merge, a split)."""

    correlation_id: str
    name: str  # what Edit → Undo names it after: "removal", "merge"


class EditUndo(QObject):
    book_changed = Signal(int)  # a work id whose shown values an undo changed
    said = Signal(str)  # what happened, for the status bar
    job_undo = Signal(str)  # the Ref of a dialog's edit to revert, as a job on the worker (ImportFlow.undo)

    def __init__(self, service: LibraryService, parent: QObject) -> None:
        super().__init__(parent)
        self.service = service
        self._done: list[FieldChangeRecord | EditOutcome | JobDone] = []
        self.action = QAction("&Undo", parent)  # the Edit menu's, named for the change it undoes
        self.action.setShortcut(QKeySequence.StandardKey.Undo)
        self.action.setEnabled(False)
        self.action.triggered.connect(self.undo_last)

    def remember(self, change: FieldChangeRecord) -> None:
        self._done.append(change)
        self._show_next()
        self.said.emit(f"Changed {change.field}; Ctrl+Z undoes it")

    def remember_edit(self, outcome: EditOutcome) -> None:
        """A dialog's edit: Undo reverts all of it (which may be many books: on the worker)."""
        if outcome.changes:
            self._done.append(outcome)
            self._show_next()

    def remember_job(self, correlation_id: str, name: str) -> None:
        """A job Undo reverts by its Ref, on the worker (ui/removal_flow.py)."""
        self._done.append(JobDone(correlation_id, name))
        self._show_next()

    def remember_sync(self, results: list[SyncResult]) -> None:
        """A Sync Now the person started: what its Audiobookshelf sync pushed, Undo reverts by its Ref
        (on the server too, core/audiobookshelf/push_undo.py)."""
        for result in results:
            if result.kind in PUSHING and result.status == "succeeded" and result.correlation_id and \
                    self.service.undo_state(result.correlation_id) == "undoable":
                self.remember_job(result.correlation_id, PUSHING[result.kind])

    def undo_last(self) -> None:
        if not self._done:
            return
        change = self._done.pop()
        if isinstance(change, EditOutcome | JobDone):
            self.job_undo.emit(change.correlation_id)
            self._show_next()
            return
        self.service.undo(change.id)
        self.book_changed.emit(change.work_id)
        self._show_next()
        self.said.emit(f"Undid the {change.field} change")

    def _show_next(self) -> None:
        self.action.setEnabled(bool(self._done))
        self.action.setText(f"&Undo {_name(self._done[-1])}" if self._done else "&Undo")


def _name(done: FieldChangeRecord | EditOutcome | JobDone) -> str:
    if isinstance(done, JobDone):
        return done.name
    if isinstance(done, EditOutcome):
        return f"edit of {done.books} book{'s' if done.books != 1 else ''}"
    return f"{done.field} change"
