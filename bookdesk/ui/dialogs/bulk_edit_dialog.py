"""Edit many books at once (calibre's bulk metadata edit): authors, series numbered from a position,
tags set, added or removed, language, read state, rating.

Each field has a "change this" box: a field left unticked stays as each book has it, and typing in
a field ticks its box. The edit runs as one job on the worker (``EditService.run``): one Ref, in
Activity, that Edit → Undo and Activity's Undo revert whole; History lists each book's changes.
``bulk_edit(window, work_ids)`` is the entry point the menu, context menu and shortcut call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.editing.service import BookEdits, EditOutcome
from bookdesk.data.work_fields import READ_STATES
from bookdesk.ui import bridge
from bookdesk.vocabulary.people import split_people

if TYPE_CHECKING:
    from bookdesk.ui.main_window import MainWindow

# The boxes that change a field of another name.
_FIELD_OF = {"add_tags": "tags", "remove_tags": "tags"}
NO_RATING = -1  # the rating box's lowest step, shown as "No rating": clears the books' ratings


def bulk_edit(window: MainWindow, work_ids: list[int]) -> None:
    """Open the bulk edit dialog over these books."""
    if not work_ids:
        window.jobs.say("Select the books to edit first.")
        return
    # Numbered in the order the Library shows them, as a person reads them, not in the order they were
    # picked; books it does not show (another view's) follow, as given.
    row_of = window.library_view.model.row_of
    shown = sorted(work_ids, key=lambda work_id: (row_of(work_id) is None, row_of(work_id) or 0))
    dialog = BulkEditDialog(window, shown)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # each opening is a new edit
    dialog.open()


def books(count: int) -> str:
    return f"{count:,} book{'s' if count != 1 else ''}"


def _tags(text: str) -> frozenset[str]:
    return frozenset(tag.strip() for tag in text.split(",") if tag.strip())


class BulkEditDialog(QDialog):
    def __init__(self, window: MainWindow, work_ids: list[int]) -> None:
        super().__init__(window)
        self.window_, self.work_ids = window, work_ids
        self.setWindowTitle(f"Edit {books(len(work_ids))}")
        self.setMinimumWidth(520)
        self.ticks: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        self.authors = self._line(grid, "authors", "Authors", "Ursula K. Le Guin & Another Writer")
        self.series = self._line(grid, "series", "Series", "empty: take the books out of their series")
        self.numbered = QCheckBox("Number the books from")
        self.numbered.setToolTip("In the order the books are listed; otherwise a book already in the series "
                                 "keeps its position there.")
        self.number_from = QSpinBox()
        self.number_from.setRange(0, 99999)
        self.number_from.setValue(1)
        numbering = QWidget()
        row = QGridLayout(numbering)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.numbered, 0, 0)
        row.addWidget(self.number_from, 0, 1)
        row.setColumnStretch(2, 1)
        grid.addWidget(numbering, grid.rowCount(), 1)
        self.add_tags = self._line(grid, "add_tags", "Add tags", "comma, separated")
        self.remove_tags = self._line(grid, "remove_tags", "Remove tags", "comma, separated")
        self.set_tags = self._line(grid, "tags", "Set tags to", "replaces every tag; empty removes them all")
        self.language = self._line(grid, "language", "Language", "a code such as en, de, fr")
        self.read_state = QComboBox()
        self.read_state.addItems([state.capitalize() for state in READ_STATES])
        self._row(grid, "read_state", "Read state", self.read_state)
        self.rating = QSpinBox()
        self.rating.setRange(NO_RATING, 10)
        self.rating.setSpecialValueText("No rating")
        self.rating.setValue(NO_RATING)
        self._row(grid, "rating", "Rating (0–10)", self.rating)
        for control in (self.numbered, self.number_from):
            signal = control.toggled if control is self.numbered else control.valueChanged
            signal.connect(lambda *_: self.ticks["series"].setChecked(True))
        self.read_state.currentIndexChanged.connect(lambda *_: self.ticks["read_state"].setChecked(True))
        self.rating.valueChanged.connect(lambda *_: self.ticks["rating"].setChecked(True))
        self.lock = QCheckBox("Keep identification from changing the fields changed here")
        self.lock.setChecked(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText(f"Apply to {books(len(work_ids))}")
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Changing {books(len(work_ids))}. Only the ticked fields change; every other field "
                       "stays as each book has it.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.lock)
        layout.addWidget(self.buttons)
        self._follow_ticks()

    def _row(self, grid: QGridLayout, key: str, label: str, control: QWidget) -> None:
        tick = QCheckBox(label)
        tick.setToolTip("Change this field in every book")
        tick.toggled.connect(self._follow_ticks)
        self.ticks[key] = tick
        row = grid.rowCount()
        grid.addWidget(tick, row, 0)
        grid.addWidget(control, row, 1)

    def _line(self, grid: QGridLayout, key: str, label: str, hint: str) -> QLineEdit:
        line = QLineEdit()
        line.setPlaceholderText(hint)
        line.textEdited.connect(lambda *_: self.ticks[key].setChecked(True))
        self._row(grid, key, label, line)
        return line

    def _follow_ticks(self) -> None:
        self.apply_button.setEnabled(any(tick.isChecked() for tick in self.ticks.values()))

    def edits(self) -> BookEdits:
        """What the ticked fields ask, for every book."""
        ticked = {key for key, tick in self.ticks.items() if tick.isChecked()}
        series = self.series.text().strip() if "series" in ticked else None
        rating = self.rating.value() if "rating" in ticked else None
        changed = {_FIELD_OF.get(key, key) for key in ticked}
        return BookEdits(
            fields={"rating": None} if rating == NO_RATING else {},
            authors=tuple(split_people(self.authors.text())) if "authors" in ticked else None,
            series=series, number_from=self.number_from.value() if series and self.numbered.isChecked() else None,
            tags=_tags(self.set_tags.text()) if "tags" in ticked else None,
            add_tags=_tags(self.add_tags.text()) if "add_tags" in ticked else frozenset(),
            remove_tags=_tags(self.remove_tags.text()) if "remove_tags" in ticked else frozenset(),
            language=self.language.text().strip() if "language" in ticked else None,
            read_state=READ_STATES[self.read_state.currentIndex()] if "read_state" in ticked else None,
            rating=rating if rating is not None and rating != NO_RATING else None,
            unlock=() if self.lock.isChecked() else tuple(sorted(changed)))

    def apply(self) -> None:
        """Run the edit on the worker; the dialog stays, greyed, until it is done (open again on a failure,
        which the window shows with its Ref)."""
        edits = self.edits()
        self.setEnabled(False)
        bridge.start(self._run(edits), what="Bulk edit", presenter=self.window_.presenter, owner=self.window_)

    async def _run(self, edits: BookEdits) -> None:
        window, ids = self.window_, self.work_ids
        try:
            handle = window.worker.submit("edit", f"Edit {books(len(ids))}",
                                          lambda ctx: window.services.editing.run(ctx, ids, edits))
            result = await handle
        finally:
            self.setEnabled(True)
        if result.state != "succeeded":
            return  # the window shows a failed job with its Ref, and the dialog stays for another try
        outcome: EditOutcome = result.value
        window.edits.remember_edit(outcome)
        window.refresh_views()
        window.write_back(sorted({change.work_id for change in outcome.changes}))
        undo = "; Edit → Undo reverts it" if outcome.changes else ""
        window.jobs.say(f"Bulk edit: {outcome.summary()}{undo}")
        self.accept()
