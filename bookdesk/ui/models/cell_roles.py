"""Every role of a table cell in one call into Python.

To paint a cell, Qt's item delegate asks the model for seven roles (display, font, alignment,
colours, check state, decoration); through ``QAbstractItemModel.multiData``'s default each is a
call of ``data()``, so each is a call from C++ into Python, and each must take the GIL. While a
worker thread runs Python, the GUI thread waits for the GIL at every one of those calls (up to
the switch interval, ui/gil_turns.py), so a paint of a few hundred cells stalled the window for
a tenth of a second and more (bench/ui_stalls.py, import and identify). Answering ``multiData``
in Python makes it one call per cell; and ``index()`` answered in Python is one call where
``QAbstractTableModel``'s own asks ``rowCount()`` and ``columnCount()``, two. Nine entries into
Python a cell become two: a fraction of the waits, with the same answers.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan, QPersistentModelIndex


class FewCallsPerCell:
    """Mix into a QAbstractTableModel subclass (before it): ``multiData`` answers every role a view asks for
    at once, from the model's own ``data()``; ``index`` makes a cell's index in one call."""

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):  # type: ignore[attr-defined]
            return QModelIndex()
        return self.createIndex(row, column)  # type: ignore[attr-defined]

    def multiData(self, index: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt's name
                  roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N803
        data = self.data  # type: ignore[attr-defined]
        if isinstance(roleDataSpan, QModelRoleData):
            _answer(roleDataSpan, data(index, roleDataSpan.role()))
            return
        for k in range(roleDataSpan.size()):
            asked = roleDataSpan[k]
            _answer(asked, data(index, asked.role()))


def _answer(asked: QModelRoleData, value: object) -> None:
    if value is None:
        asked.clearData()
    else:
        asked.setData(value)
