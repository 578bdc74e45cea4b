"""A table's paint enters the model's Python twice per cell (its index, its roles), not nine times, and
looks the same.

Each entry from Qt into Python takes the GIL; while a worker runs Python, the GUI thread waits at
every one (bench/ui_stalls.py). Seven roles, a row count and a column count per cell made a paint of a few hundred cells a stall.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel


@dataclass(frozen=True)
class Book:
    title: str
    pages: int


COLUMNS = [ColumnSpec("Title", lambda b: b.title), ColumnSpec("Pages", lambda b: str(b.pages), align_right=True)]
BOOKS = [Book(f"Book number {n}", 100 + n) for n in range(60)]


def entries_from_qt(model, work) -> int:  # noqa: ANN001
    """How many times ``work()`` made C++ call into ``model``'s Python (each such call takes the GIL): calls
    of the model's methods whose caller is this very frame."""
    here = sys._getframe()
    count = 0

    def hook(frame, event, _arg) -> None:  # noqa: ANN001
        nonlocal count
        if event == "call" and frame.f_back is here and frame.f_locals.get("self") is model:
            count += 1

    sys.setprofile(hook)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


class PerRole(QAbstractTableModel):
    """The same rows answered one role at a time, as before."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = RecordTableModel(COLUMNS)
        self.inner.set_records(BOOKS)

    def rowCount(self, parent=QModelIndex()):  # noqa: ANN001, ANN201, B008, N802
        return self.inner.rowCount(parent)

    def columnCount(self, parent=QModelIndex()):  # noqa: ANN001, ANN201, B008, N802
        return self.inner.columnCount(parent)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN201, N802
        return self.inner.headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN201
        return self.inner.data(self.inner.index(index.row(), index.column()), role)


def _shown(qtbot, model) -> QTableView:  # noqa: ANN001
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.mark.usefixtures("qapp")
def test_a_paint_enters_the_model_twice_per_cell(qtbot) -> None:  # noqa: ANN001
    model = RecordTableModel(COLUMNS)
    model.set_records(BOOKS)
    view = _shown(qtbot, model)
    entries = entries_from_qt(model, view.viewport().grab)  # a paint of every cell in sight
    shown_rows = view.rowAt(view.viewport().height() - 1) - view.rowAt(0) + 1
    cells = shown_rows * len(COLUMNS)
    assert cells <= entries <= 2 * cells + 4  # an index and a multiData a cell, and a row count or so


@pytest.mark.usefixtures("qapp")
def test_the_table_looks_as_when_each_role_was_asked_alone(qtbot) -> None:  # noqa: ANN001
    mine = RecordTableModel(COLUMNS)
    mine.set_records(BOOKS)
    before = _shown(qtbot, PerRole()).grab().toImage()
    after = _shown(qtbot, mine).grab().toImage()
    assert after == before


def test_the_library_list_enters_python_a_few_times_a_cell(make_window, filled_service, loaded) -> None:  # noqa: ANN001
    window = make_window(filled_service)
    table = loaded(window.library_view).table
    table.viewport().grab()  # the rows on screen read in
    entries = entries_from_qt(table.model(), table.viewport().grab)
    cells = sum(1 for row in range(table.model().rowCount()) for column in range(table.model().columnCount())
                if table.visualRect(table.model().index(row, column)).intersects(table.viewport().rect()))
    # Its index, its roles, its flags (asked twice: for the paint and for the delegate); a row count, a row
    # just out of sight. Before: seven roles, a row count and a column count a cell besides the flags.
    assert 0 < cells <= entries <= 4 * cells + 4 * table.model().columnCount()
