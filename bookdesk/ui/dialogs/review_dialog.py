"""The review queue: for each book an identification could not settle alone, current and proposed
values side by side (with covers), why the candidate scored as it did, and Apply / Skip / Search again."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.identify.proposal import supported_fields
from bookdesk.core.library_service import LibraryService
from bookdesk.core.providers.base import Query
from bookdesk.core.worker import Worker
from bookdesk.data.review_repository import ReviewRecord
from bookdesk.ui import bridge
from bookdesk.ui.identify_flow import IdentifyFlow
from bookdesk.ui.resources import icon
from bookdesk.ui.views.empty_state import EmptyState
from bookdesk.ui.views.history_view import value_text

log = logging.getLogger(__name__)

COVER = 120
LOCKABLE = {"title", "subtitle", "authors", "narrators", "series", "identifiers", "description", "language",
            "publisher", "first_published"}


class ReviewDialog(QDialog):

    def __init__(self, service: LibraryService, flow: IdentifyFlow, worker: Worker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.flow, self.worker = service, flow, worker
        self.setWindowTitle("Review identifications")
        self.resize(1100, 640)
        self.items = QListWidget()
        self.items.currentRowChanged.connect(lambda _row: self._show_item())
        self.candidate = QComboBox()
        self.candidate.currentIndexChanged.connect(lambda _i: self._show_candidate())
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(Qt.TextFormat.PlainText)
        self.current_cover, self.proposed_cover = QLabel(), QLabel()
        for label in (self.current_cover, self.proposed_cover):
            label.setFixedSize(COVER, COVER * 3 // 2)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("border: 1px solid palette(mid);")
        self.use_cover = QCheckBox("Use this cover")
        self.fields = QTableWidget(0, 5)
        self.fields.setHorizontalHeaderLabels(["Apply", "Now", "Proposed", "From", "Lock"])
        self.fields.verticalHeader().setVisible(False)
        self.fields.setWordWrap(True)
        header = self.fields.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.search_title, self.search_author = QLineEdit(), QLineEdit()
        self.search_title.setPlaceholderText("Title")
        self.search_author.setPlaceholderText("Author")
        self.search_button = QPushButton("Search Again")
        self.search_button.clicked.connect(self.search_again)
        self.apply_button = QPushButton("Apply Ticked")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.skip_button = QPushButton("Skip")
        self.skip_button.clicked.connect(self.skip)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        self._lay_out(close)
        flow.review_count.connect(lambda _n: self.reload())
        self.reload()

    def _lay_out(self, close: QPushButton) -> None:
        """The queue on the left; the chosen candidate, its covers, fields and buttons on the right; the
        empty state in place of both when nothing waits."""
        covers = QHBoxLayout()
        for caption, label in (("Now", self.current_cover), ("Proposed", self.proposed_cover)):
            box = QVBoxLayout()
            box.addWidget(QLabel(caption))
            box.addWidget(label)
            covers.addLayout(box)
        covers.addWidget(self.use_cover, 0, Qt.AlignmentFlag.AlignBottom)
        covers.addStretch(1)
        search = QHBoxLayout()
        search.addWidget(self.search_title, 2)
        search.addWidget(self.search_author, 1)
        search.addWidget(self.search_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.skip_button, self.apply_button, close):
            buttons.addWidget(button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.candidate)
        right_layout.addWidget(self.reason)
        right_layout.addLayout(covers)
        right_layout.addWidget(self.fields, 1)
        right_layout.addWidget(self.explain)
        right_layout.addLayout(search)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.items)
        splitter.addWidget(right)
        splitter.setSizes([280, 820])
        self.empty = EmptyState(icon("library"), "Nothing to review",
                                "When Identify cannot tell on its own which book a file is, the book waits here "
                                "with its candidates side by side. Select books in the Library and choose "
                                "Book → Identify Selected to look them up.")
        self.empty.add_action("Close", self.accept)
        self.pages = QStackedWidget()
        self.pages.addWidget(splitter)
        self.pages.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # ----- what is shown -----------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.current_item().id if self.current_item() else None
        self.records = self.service.reviews()
        self.items.clear()
        for record in self.records:
            QListWidgetItem(record.work_title, self.items)
        rows = [i for i, r in enumerate(self.records) if r.id == keep]
        self.items.setCurrentRow(rows[0] if rows else 0 if self.records else -1)
        self._show_item()

    def current_item(self) -> ReviewRecord | None:
        row = self.items.currentRow() if hasattr(self, "records") else -1
        return self.records[row] if 0 <= row < len(self.records) else None

    def _show_item(self) -> None:
        record = self.current_item()
        for widget in (self.apply_button, self.skip_button, self.search_button, self.candidate):
            widget.setEnabled(record is not None)
        self.candidate.blockSignals(True)
        self.candidate.clear()
        self.pages.setCurrentWidget(self.empty if record is None else self.pages.widget(0))
        if record is None:
            self.reason.setText("Nothing waits for review.")
            self.fields.setRowCount(0)
            self.explain.clear()
            self.candidate.blockSignals(False)
            return
        for stored in record.candidates:
            names = " + ".join(stored["providers"])
            self.candidate.addItem(f"{stored['score']:.0%} · {stored['title']} — {', '.join(stored['authors'])} "
                                   f"({names})")
        self.candidate.blockSignals(False)
        self.reason.setText(f"Not applied on its own: {record.reason}")
        book = self.service.detail(record.work_id)
        self.search_title.setText(book.title)
        self.search_author.setText(", ".join(book.authors))
        self._cover(self.current_cover, self.service.absolute(book.cover_path) if book.cover_path else None)
        self._show_candidate()

    def _show_candidate(self) -> None:
        record = self.current_item()
        if record is None or self.candidate.currentIndex() < 0:
            return
        stored = record.candidates[self.candidate.currentIndex()]
        locked = self.service.detail(record.work_id).locked_fields
        supported = supported_fields(stored)  # a doubtful match: only what its score vouches for is ticked
        self.fields.setRowCount(len(stored["proposals"]))
        for row, proposal in enumerate(stored["proposals"]):
            tick = QTableWidgetItem(proposal["field"].replace("_", " "))
            tick.setData(Qt.ItemDataRole.UserRole, proposal["field"])
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Checked if proposal["field"] in supported - locked
                               else Qt.CheckState.Unchecked)
            self.fields.setItem(row, 0, tick)
            for column, text in ((1, value_text(proposal["current"])), (2, value_text(proposal["proposed"])),
                                 (3, proposal["source"])):
                cell = QTableWidgetItem(text)
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
                cell.setToolTip(text)
                self.fields.setItem(row, column, cell)
            lock = QTableWidgetItem()
            lock.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            lock.setCheckState(Qt.CheckState.Checked if proposal["field"] in locked else Qt.CheckState.Unchecked)
            self.fields.setItem(row, 4, lock)
        self.fields.resizeRowsToContents()
        lines = stored["penalties"] + [p["note"] for p in sorted(stored["parts"], key=lambda p: -p["weight"])]
        self.explain.setText(f"Score {stored['score']:.0%}: " + "; ".join(lines))
        self.use_cover.setChecked("cover" in supported)
        self.use_cover.setEnabled(bool(stored.get("cover_url")))
        self.proposed_cover.clear()
        self.proposed_cover.setText("no cover" if not stored.get("cover_url") else "…")
        if stored.get("cover_path") and not stored.get("cover_url"):  # a file here (calibre's), not fetched
            self._cover(self.proposed_cover, stored["cover_path"])
        if stored.get("cover_url"):
            bridge.start(self._fetch_cover(stored["cover_url"]), what="Fetch a proposed cover", owner=self)

    async def _fetch_cover(self, url: str) -> None:
        try:
            data = await self.worker.run(self.worker.net.get_bytes, url)
        except Exception as exc:  # the dialog says "cover unavailable"; the reason goes to the log
            log.info("proposed cover %s unavailable: %s", url, exc)
            data = None
        self._set_proposed_cover(url, data)

    def _set_proposed_cover(self, url: str, data: object) -> None:
        record = self.current_item()
        if record is None or record.candidates[self.candidate.currentIndex()].get("cover_url") != url:
            return  # the dialog moved on to another book or candidate meanwhile
        pixmap = QPixmap()
        if isinstance(data, bytes) and pixmap.loadFromData(data):
            self.proposed_cover.setPixmap(pixmap.scaled(COVER, COVER * 3 // 2, Qt.AspectRatioMode.KeepAspectRatio,
                                                        Qt.TransformationMode.SmoothTransformation))
        else:
            self.proposed_cover.setText("cover unavailable")

    def _cover(self, label: QLabel, path) -> None:  # noqa: ANN001 - Path or None
        pixmap = QPixmap(str(path)) if path else QPixmap()
        if pixmap.isNull():
            label.setText("no cover")
        else:
            label.setPixmap(pixmap.scaled(COVER, COVER * 3 // 2, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))

    # ----- what the person decides -------------------------------------------------------------

    def ticked(self, column: int = 0) -> set[str]:
        return {self.fields.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(self.fields.rowCount())
                if self.fields.item(row, column).checkState() == Qt.CheckState.Checked}

    def apply(self) -> None:
        record = self.current_item()
        if record is None:
            return
        fields = self.ticked(0)
        for field in LOCKABLE & {self.fields.item(r, 0).data(Qt.ItemDataRole.UserRole)
                                 for r in range(self.fields.rowCount())}:
            self.service.lock_field(record.work_id, field, field in self.ticked(4))
        if self.use_cover.isChecked():
            fields.add("cover")
        self.flow.apply_review(record.id, self.candidate.currentIndex(), fields)

    def skip(self) -> None:
        record = self.current_item()
        if record is not None:
            self.flow.skip_review(record.id)

    def search_again(self) -> None:
        record = self.current_item()
        if record is None:
            return
        authors = tuple(a.strip() for a in self.search_author.text().split(",") if a.strip())
        self.flow.identify([record.work_id], {record.work_id: Query(title=self.search_title.text().strip(),
                                                                    authors=authors)})
