"""Columns are fitted to the cells in view, not to a thousand rows of a long list: a long name far down
the list does not widen its column, and fitting reads only about a screenful of rows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QTableView

from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.views.column_fit import ColumnFit

LONG = "A name far longer than any other in the list, " * 3


@dataclass(frozen=True)
class Person:
    name: str
    books: int


class Counted(RecordTableModel):
    def __init__(self) -> None:
        super().__init__([ColumnSpec("Name", lambda p: p.name), ColumnSpec("Books", lambda p: str(p.books))])
        self.rows_read: set[int] = set()

    def data(self, index, role=0):  # noqa: ANN001, ANN201 - Qt's signature
        self.rows_read.add(index.row())
        return super().data(index, role)


def _fitted(qtbot, people: list[Person], shown: bool) -> tuple[QTableView, Counted, ColumnFit]:  # noqa: ANN001
    model = Counted()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 300)
    if shown:
        view.show()
        qtbot.waitExposed(view)
    fit = ColumnFit(view, elastic=())
    model.set_records(people)
    model.rows_read.clear()
    fit.fit()
    return view, model, fit


@pytest.mark.parametrize("shown", [True, False])
def test_a_long_name_far_down_the_list_does_not_widen_its_column(qtbot, shown: bool) -> None:  # noqa: ANN001
    people = [Person(f"Person {n}", n) for n in range(5_000)]
    people[500] = Person(LONG, 1)  # within the thousand rows Qt would measure
    view, model, _fit = _fitted(qtbot, people, shown)
    in_view = view.viewport().height() // view.verticalHeader().defaultSectionSize() + 1
    assert view.columnWidth(0) < view.fontMetrics().horizontalAdvance(LONG)
    assert 0 < len(model.rows_read) <= in_view


def test_a_long_name_in_view_widens_its_column(qtbot) -> None:  # noqa: ANN001
    people = [Person(f"Person {n}", n) for n in range(5_000)]
    people[2] = Person(LONG, 1)
    view, _model, _fit = _fitted(qtbot, people, True)
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance(LONG)
