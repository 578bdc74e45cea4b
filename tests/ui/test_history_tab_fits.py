"""The History tab beside Details, in the window's default size: readable without scrolling sideways,
with what does not fit in a row's tooltip."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from bookdesk.ui.look_check import clipped_headers
from bookdesk.ui.models.library_model import Column

LONG_TITLE = "A Title Long Enough That No Narrow Tab Could Ever Show It Whole On One Line"


def test_the_history_tab_fits_its_pane_and_tells_the_rest_in_a_tooltip(qtbot, make_window,  # noqa: ANN001
                                                                        filled_service) -> None:  # noqa: ANN001
    window = make_window(filled_service)
    window.resize(1280, 800)
    view = window.library_view
    view.model.setData(view.model.index(0, Column.TITLE), LONG_TITLE)
    view.table.selectRow(0)
    view.side.setCurrentWidget(view.history)
    table = view.history.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    qtbot.waitUntil(lambda: table.viewport().width() > 0 and table.isVisible())
    qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible())
    assert clipped_headers(table.horizontalHeader()) == []
    # What a person points at: the row tells the field, who and when, and the whole change with its Ref.
    index = table.indexAt(QPoint(4, 4))
    assert index.isValid()
    shown = index.data(Qt.ItemDataRole.DisplayRole)
    assert "title" in shown.lower() and "you" in shown
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert LONG_TITLE in tip
    ref = filled_service.history(view.model.work_id(0))[0].correlation_id
    assert ref and ref in tip
