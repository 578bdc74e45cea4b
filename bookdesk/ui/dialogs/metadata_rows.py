"""A small editable table of rows (the people of a book, its identifiers) with buttons to add, remove
and reorder them, for the Edit Metadata dialog."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class EditableRows(QWidget):
    """Rows of text cells; a column given ``choices`` is a drop-down. ``rows()`` gives back what the
    person sees, blank rows included (the dialog decides what a blank row means)."""

    changed = Signal()

    def __init__(self, headers: Sequence[str], *, choices: dict[int, Sequence[str]] | None = None,
                 stretch: int = 0, add_text: str = "Add", shown_rows: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices or {}
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed
                                   | triggers.SelectedClicked)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        row_height = self.fontMetrics().height() + 12
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        # Room for ``shown_rows`` rows under the header before a scroll bar: a book's people at a glance.
        self.table.setMinimumHeight(row_height * (shown_rows + 1) + 8)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = self._button(add_text, "Add a row", self.add_row)
        self.remove_button = self._button("Remove", "Remove the selected row", self._remove)
        self.up_button = self._button("↑", "Move the selected row up", lambda: self._move(-1))
        self.down_button = self._button("↓", "Move the selected row down", lambda: self._move(1))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.up_button, self.down_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _button(self, text: str, tip: str, slot) -> QToolButton:  # noqa: ANN001 - a callable
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(False)
        button.clicked.connect(slot)
        return button

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for row in rows:
            self._append(row)
        self.table.blockSignals(False)

    def add_row(self, values: Sequence[str] = ()) -> None:
        """A new row (blank, or ``values``), with its first cell ready for typing."""
        row = self._append(values)
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))
        self.changed.emit()

    def _append(self, values: Sequence[str]) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column in range(self.table.columnCount()):
            value = values[column] if column < len(values) else ""
            if column in self.choices:
                box = QComboBox()
                box.addItems(list(self.choices[column]))
                box.setCurrentIndex(max(0, box.findText(value)))
                box.currentIndexChanged.connect(lambda _i: self.changed.emit())
                self.table.setCellWidget(row, column, box)
            else:
                self.table.setItem(row, column, QTableWidgetItem(value))
        return row

    def rows(self) -> list[list[str]]:
        return [[self.cell(row, column) for column in range(self.table.columnCount())]
                for row in range(self.table.rowCount())]

    def cell(self, row: int, column: int) -> str:
        widget = self.table.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            return widget.currentText()
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def set_cell(self, row: int, column: int, value: str) -> None:
        widget = self.table.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findText(value)))
        else:
            self.table.item(row, column).setText(value)

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        rows = self.rows()
        rows[row], rows[target] = rows[target], rows[row]
        self.set_rows(rows)
        self.table.setCurrentCell(target, 0)
        self.changed.emit()
