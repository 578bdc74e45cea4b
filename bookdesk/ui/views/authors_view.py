"""The Authors view: every author with what is owned and missing per media kind, and Monitor."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from bookdesk.core.series.records import AuthorOverview
from bookdesk.core.series.service import SeriesService
from bookdesk.data.sort_keys import fold
from bookdesk.ui.models.kind_figures_model import KindFiguresModel
from bookdesk.ui.models.record_table_model import ColumnSpec
from bookdesk.ui.views.completion_delegate import CompletionDelegate
from bookdesk.ui.views.list_table import list_table

COLUMNS: list[ColumnSpec[AuthorOverview]] = [
    ColumnSpec("Author", lambda a: a.name + (" ★" if a.monitored else "")),
    ColumnSpec("Also known as", lambda a: ", ".join(a.aliases)),
    ColumnSpec("Ebooks", lambda a: f"{a.ebook.owned} / {a.ebook.owned + a.ebook.missing}"),
    ColumnSpec("Audiobooks", lambda a: f"{a.audiobook.owned} / {a.audiobook.owned + a.audiobook.missing}"),
    ColumnSpec("Series", lambda a: str(a.series), align_right=True),
    ColumnSpec("Wanted", lambda a: str(a.wanted) if a.wanted else "", align_right=True),
]
KIND_COLUMNS = {2: "ebook", 3: "audiobook"}


class AuthorsView(QWidget):
    def __init__(self, series: SeriesService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = series
        self.all: list[AuthorOverview] = []
        self.model = KindFiguresModel(COLUMNS, KIND_COLUMNS, self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter authors")
        self.filter.setClearButtonEnabled(True)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(120)
        timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _t: timer.start())
        self.table = list_table(self.model)
        delegate = CompletionDelegate(self.table)
        for column in KIND_COLUMNS:
            self.table.setItemDelegateForColumn(column, delegate)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((240, 220, 110, 110, 70)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.monitor_button = QPushButton("Monitor")
        self.monitor_button.setCheckable(True)
        self.monitor_button.toggled.connect(self._monitor)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.note = QLabel()
        self.note.setStyleSheet("color: palette(placeholder-text);")
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.monitor_button)
        bar.addWidget(self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._selected()

    def refresh(self) -> None:
        self.all = self.series.authors()
        self.apply_filter()

    def apply_filter(self) -> None:
        words = fold(self.filter.text()).split()
        shown = [a for a in self.all if all(w in fold(f"{a.name} {' '.join(a.aliases)}") for w in words)]
        self.model.set_records(shown)
        self.note.setText(f"{len(shown):,} authors")

    def selected(self) -> AuthorOverview | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.records[rows[0].row()] if rows else None

    def _selected(self) -> None:
        author = self.selected()
        self.monitor_button.setEnabled(author is not None)
        self.monitor_button.blockSignals(True)
        self.monitor_button.setChecked(bool(author and author.monitored))
        self.monitor_button.blockSignals(False)

    def _monitor(self, on: bool) -> None:
        author = self.selected()
        if author is not None:
            self.series.set_author_monitored(author.id, on)
            keep = author.id
            self.refresh()
            for row, a in enumerate(self.model.records):
                if a.id == keep:
                    self.table.selectRow(row)
