"""Search for this book: every indexer asked, the releases ranked with their scores (each part
explained on hover), and Grab on the one the person picks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from bookdesk.core.acquisition.ranking import RankedRelease, WantedWork
from bookdesk.errors import BookDeskError
from bookdesk.ui import bridge
from bookdesk.ui.models.downloads_model import size_text
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.views.list_table import list_table

if TYPE_CHECKING:
    from bookdesk.core.acquisition.search_wanted import WorkSearch


def _age(ranked: RankedRelease) -> str:
    published = ranked.release.published
    if published is None:
        return ""
    days = (datetime.now(UTC).replace(tzinfo=None) - published).days
    return f"{days} d" if days < 365 else f"{days / 365:.1f} y"


COLUMNS: list[ColumnSpec[RankedRelease]] = [
    ColumnSpec("Score", lambda r: f"{r.total:.0%}", align_right=True),
    ColumnSpec("Release", lambda r: r.release.title),
    ColumnSpec("Format", lambda r: (r.format or "?").upper()),
    ColumnSpec("Size", lambda r: size_text(r.release.size), align_right=True),
    ColumnSpec("Seeders", lambda r: "" if r.release.seeders is None else str(r.release.seeders), align_right=True),
    ColumnSpec("Age", _age, align_right=True),
    ColumnSpec("Indexer", lambda r: r.release.indexer),
]


class ReleasesModel(RecordTableModel[RankedRelease]):
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            return "\n".join(self.records[index.row()].explain())
        return super().data(index, role)


Search = Callable[[WantedWork], Awaitable["WorkSearch"]]  # awaited on the GUI's loop (AcquisitionFlow.search)
Grab = Callable[[WantedWork, RankedRelease], Awaitable[int]]  # the download's id


class ReleaseSearchDialog(QDialog):
    grabbed = Signal(int)  # the download's id

    def __init__(self, wanted: WantedWork, search: Search, grab: Grab, threshold: float,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wanted, self._search, self._grab, self.threshold = wanted, search, grab, threshold
        self._grabbing = False  # a grab is on its way: Grab, a double-click and a new row wait for it
        kind = f" ({wanted.media_kind})" if wanted.media_kind else ""
        self.setWindowTitle(f"Search for {wanted.title}{kind}")
        self.resize(900, 420)
        self.model = ReleasesModel(COLUMNS, self)
        self.table = list_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.table.doubleClicked.connect(lambda _i: self.grab_selected())
        self.why = QLabel()  # the chosen release's score, part by part
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color: palette(placeholder-text);")
        self.status = QLabel("Asking the indexers…")
        self.status.setWordWrap(True)
        self.search_button = QPushButton("Search Again")
        self.search_button.clicked.connect(self.run)
        self.grab_button = QPushButton("Grab")
        self.grab_button.setDefault(True)
        self.grab_button.clicked.connect(self.grab_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addStretch(1)
        buttons.addWidget(self.grab_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.why)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._update()

    def run(self) -> None:
        self.search_button.setEnabled(False)
        self.status.setText("Asking the indexers…")
        bridge.start(self._find(), what="Search the indexers", owner=self)

    async def _find(self) -> None:
        try:
            result = await self._search(self.wanted)
        except BookDeskError as exc:
            self.status.setText(f"{exc.message}" + (f" (Ref {exc.correlation_id})" if exc.correlation_id else ""))
            return
        finally:  # whatever the answer, even one nobody expected, the person may ask again
            if shiboken6.isValid(self):  # unless the dialog was closed meanwhile
                self.search_button.setEnabled(True)
        self.model.set_records(result.ranked)
        parts = [f"{len(result.ranked)} release{'s' if len(result.ranked) != 1 else ''} found"]
        if result.blocked:
            parts.append(f"{result.blocked} left out (they failed before)")
        if result.indexer_errors:
            parts.append("; ".join(result.indexer_errors))
        if result.ranked and result.ranked[0].total < self.threshold:
            parts.append(f"none scores the {self.threshold:.0%} needed to be grabbed by itself; you may still grab one")
        self.status.setText(". ".join(parts) + ".")
        if result.ranked:
            self.table.selectRow(0)
        self._update()

    def grab_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self._grabbing:
            return
        ranked = self.model.records[rows[0].row()]
        self._grabbing = True
        self.grab_button.setEnabled(False)
        self.status.setText(f"Handing {ranked.release.title} over…")
        bridge.start(self._hand_over(ranked), what="Grab a release", owner=self)

    async def _hand_over(self, ranked: RankedRelease) -> None:
        try:
            download_id = await self._grab(self.wanted, ranked)
        except BookDeskError as exc:
            self.status.setText(f"Not grabbed: {exc.message}"
                                + (f" (Ref {exc.correlation_id})" if exc.correlation_id else ""))
            return
        finally:  # whatever the answer, the person may grab again (unless the dialog was closed meanwhile)
            self._grabbing = False
            if shiboken6.isValid(self):
                self._update()
        self.status.setText("Grabbed: follow it in Downloads.")
        self.grabbed.emit(download_id)

    def _update(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.grab_button.setEnabled(bool(rows) and not self._grabbing)
        if rows:
            ranked = self.model.records[rows[0].row()]
            self.why.setText(f"Why {ranked.total:.0%}: " + " · ".join(ranked.explain()))
        else:
            self.why.clear()
