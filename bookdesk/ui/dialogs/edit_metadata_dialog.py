"""Edit Metadata: one book in a dialog with every field, its cover, and a lock per field (calibre's
Edit Metadata is the model). ``edit_metadata(window, work_id)`` is the entry point the menu, the
context menus, E and a double-click call.

The book is read on the worker; OK applies what changed as one edit job on the worker
(``EditService``, with the new cover through ``core/editing/covers.py``): one Ref in Activity, each
change in History as "you", reverted whole by Edit → Undo. A problem found in the form is shown beside
its field and nothing is sent; an edit the worker refuses is shown in the dialog, which stays open
with everything typed. Previous and Next walk the Library view's rows, applying first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from bookdesk.core.editing.covers import run_edit
from bookdesk.core.editing.service import BookEdits, EditOutcome
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.ui.dialogs.cover_picker import CoverPicker
from bookdesk.ui.dialogs.metadata_form import MetadataForm
from bookdesk.ui.theme import tone_colour

if TYPE_CHECKING:
    from bookdesk.ui.main_window import MainWindow


def edit_metadata(window: MainWindow, work_id: int) -> None:
    """Open the Edit Metadata dialog on one book; Previous and Next walk the Library view's rows around
    it, in the order shown (as calibre's do), when the book is one of them."""
    model = window.library_view.model
    row = model.row_of(work_id)
    walk = [work_id] if row is None else model.ids_between(0, model.rowCount() - 1)
    EditMetadataDialog(window, walk, walk.index(work_id)).open()


class EditMetadataDialog(QDialog):
    def __init__(self, window: MainWindow, work_ids: list[int], index: int = 0) -> None:
        super().__init__(window)
        self.window_, self.work_ids, self.index = window, work_ids, index
        self.detail: WorkDetail | None = None
        self.setWindowTitle("Edit Metadata")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1060, 740)
        self.form = MetadataForm()
        self.cover = CoverPicker(window)
        self.cover.changed.connect(lambda: self.form.locks["cover_path"].setChecked(True))
        self.heading = QLabel("Loading…")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # a Ref to copy
        self.problem.hide()
        self.previous_button = QPushButton("◀ Previous")
        self.previous_button.setToolTip("Apply the changes and edit the book above in the library")
        self.previous_button.clicked.connect(lambda: self.apply(step=-1))
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Apply the changes and edit the book below in the library")
        self.next_button.clicked.connect(lambda: self.apply(step=1))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(lambda: self.apply())
        self.buttons.rejected.connect(self.reject)
        self.setLayout(self._layout())
        self._load(work_ids[index])

    def _layout(self) -> QVBoxLayout:
        cover_lock = self.form.add_lock("cover_path", "cover")
        cover_title = QHBoxLayout()
        cover_title.addWidget(QLabel("Cover"))
        cover_title.addStretch(1)
        cover_title.addWidget(cover_lock)
        side = QVBoxLayout()
        side.addLayout(cover_title)
        side.addWidget(self.cover, 1)
        body = QHBoxLayout()
        body.setSpacing(18)
        body.addWidget(self.form, 1)
        body.addLayout(side)
        bottom = QHBoxLayout()
        bottom.addWidget(self.previous_button)
        bottom.addWidget(self.next_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        walking = len(self.work_ids) > 1
        self.previous_button.setVisible(walking)
        self.next_button.setVisible(walking)
        layout = QVBoxLayout()
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addLayout(bottom)
        return layout

    # ----- reading ------------------------------------------------------------------------------

    def _load(self, work_id: int) -> None:
        self._busy(True)
        self.heading.setText("Loading…")
        self.window_.bridge.start(self._read(work_id), what="Read a book to edit", owner=self)

    async def _read(self, work_id: int) -> None:
        detail = await self.window_.worker.call(self.window_.service.detail, work_id)
        self.show_book(detail)
        self._busy(False)

    def show_book(self, detail: WorkDetail) -> None:
        self.detail = detail
        self.form.load(detail)
        self.cover.show_book(detail)
        self.say("")
        people = " & ".join(detail.authors)
        self.heading.setText(f"{detail.title} — {people}" if people else detail.title)
        where = f" ({self.index + 1} of {len(self.work_ids)})" if len(self.work_ids) > 1 else ""
        self.setWindowTitle(f"Edit Metadata — {detail.title}{where}")
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.work_ids) - 1)

    # ----- applying -------------------------------------------------------------------------------

    def apply(self, step: int = 0) -> None:
        """Apply what changed, then close (or, with ``step``, go on to the previous or next book)."""
        if self.detail is None:
            return
        problems = self.form.problems()
        if problems:
            self.say("\n".join(problem for _field, problem in problems))
            return
        image = self.cover.chosen
        edits = self.form.edits(new_cover=image is not None)
        if edits is None:
            self._done(step)
            return
        self._busy(True)
        self.window_.bridge.start(self._apply(self.detail, edits, image, step),
                                  what="Edit metadata", owner=self)

    async def _apply(self, detail: WorkDetail, edits: BookEdits, image, step: int) -> None:  # noqa: ANN001
        window = self.window_
        editing = window.services.editing
        handle = window.worker.submit("edit", f"Edit {detail.title}",
                                      lambda ctx: run_edit(ctx, editing, detail.id, edits, image))
        try:
            result = await handle
        finally:
            self._busy(False)
        if result.state != "succeeded":
            why = result.error.message if result.error is not None else f"The edit ended {result.state}."
            self.say(f"Nothing was changed: {why} (Ref {result.correlation_id})")
            return
        outcome: EditOutcome = result.value
        window.edits.remember_edit(outcome)
        window.library_view.book_changed(detail.id)
        window.refresh_views()
        if outcome.changes:
            window.write_back([detail.id])
        undo = "; Edit → Undo reverts it" if outcome.changes else ""
        window.jobs.say(f"Edited {detail.title!r}: {outcome.summary()}{undo}")
        self._done(step)

    def _done(self, step: int) -> None:
        if step and 0 <= self.index + step < len(self.work_ids):
            self.index += step
            self._load(self.work_ids[self.index])
        else:
            self.accept()

    # ----- state ----------------------------------------------------------------------------------

    def say(self, problem: str) -> None:
        self.problem.setStyleSheet(f"color: {tone_colour('problem')}; font-weight: 600;")
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    def _busy(self, busy: bool) -> None:
        for widget in (self.form, self.cover, self.ok_button, self.previous_button, self.next_button):
            widget.setEnabled(not busy)
        if not busy and self.detail is not None:
            self.previous_button.setEnabled(self.index > 0)
            self.next_button.setEnabled(self.index < len(self.work_ids) - 1)
