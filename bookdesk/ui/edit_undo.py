"""Undo of the person's own edits in the library table, newest first (Edit → Undo, Ctrl+Z)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import FieldChangeRecord


class EditUndo(QObject):
    book_changed = Signal(int)  # a work id whose shown values an undo changed
    said = Signal(str)  # what happened, for the status bar

    def __init__(self, service: LibraryService, parent: QObject) -> None:
        super().__init__(parent)
        self.service = service
        self._done: list[FieldChangeRecord] = []
        self.action = QAction("&Undo", parent)  # the Edit menu's, named for the change it undoes
        self.action.setShortcut(QKeySequence.StandardKey.Undo)
        self.action.setEnabled(False)
        self.action.triggered.connect(self.undo_last)

    def remember(self, change: FieldChangeRecord) -> None:
        self._done.append(change)
        self._show_next()
        self.said.emit(f"Changed {change.field}; Ctrl+Z undoes it")

    def undo_last(self) -> None:
        if not self._done:
            return
        change = self._done.pop()
        self.service.undo(change.id)
        self.book_changed.emit(change.work_id)
        self._show_next()
        self.said.emit(f"Undid the {change.field} change")

    def _show_next(self) -> None:
        self.action.setEnabled(bool(self._done))
        self.action.setText(f"&Undo {self._done[-1].field} change" if self._done else "&Undo")
