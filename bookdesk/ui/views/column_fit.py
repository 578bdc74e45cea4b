"""Columns sized to what they hold: each column as wide as its header and its widest cell in view; the
elastic ones (names, titles, results: long text) share the room left in proportion to their text and
elide when it is short, their full text in the tooltip. Fitted again when the rows or the table's
width change, until the person sizes a column by hand, which is theirs from then on."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView

BREATH = 12  # between one column's text and the next: packed edge to edge, columns read as one


class ColumnFit(QObject):
    def __init__(self, table: QTableView, elastic: Sequence[int]) -> None:
        super().__init__(table)
        self.table, self.elastic = table, list(elastic)
        self.by_hand = False
        self._fitting = False
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)  # many rows arriving, one fit
        self._later.timeout.connect(self.fit)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._resized)
        model = table.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged, model.dataChanged):
            signal.connect(self._later.start)
        table.viewport().installEventFilter(self)
        self._later.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self._later.start()
        return False

    def _resized(self, *_args: int) -> None:
        if not self._fitting:
            self.by_hand = True

    def widths(self, room: int) -> dict[int, int]:
        """Each shown column's width for a viewport ``room`` pixels wide."""
        header = self.table.horizontalHeader()
        # Qt measures a column's cells over this many rows, its own default being 1,000 (and 0, "what is in
        # view", means every row while the table is hidden): with a Python model and delegate that was tens
        # of thousands of calls into Python on the GUI thread each time rows came, half a second on 100,000
        # books (py-spy --gil, bench/ui_stalls.py: ColumnFit.widths). The rows a viewport holds: those in view.
        header.setResizeContentsPrecision(self._rows_in_view())
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        least = {c: header.sectionSizeHint(c) for c in shown}  # the header's text, its margins, the sort mark
        natural = {c: max(least[c], self.table.sizeHintForColumn(c) + BREATH) for c in shown}
        elastic = [c for c in self.elastic if c in natural]
        widths = {c: natural[c] for c in shown if c not in elastic}
        left = room - sum(widths.values())
        wanted = sum(natural[c] for c in elastic)
        # The long texts share the room left in proportion to what they hold: more than they need when
        # there is room, less (never below their header) when there is not.
        widths.update({c: max(least[c], natural[c] * max(left, 0) // max(wanted, 1)) for c in elastic})
        if elastic and left >= wanted:
            widths[elastic[-1]] += room - sum(widths.values())  # the pixels rounding left over
        return widths

    def _rows_in_view(self) -> int:
        rows = self.table.verticalHeader()
        return max(1, self.table.viewport().height() // max(1, rows.defaultSectionSize()) + 1)

    def fit(self) -> None:
        if self.by_hand:
            return
        header = self.table.horizontalHeader()
        self._fitting = True
        try:
            for column, width in self.widths(self.table.viewport().width()).items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False
