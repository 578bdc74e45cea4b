"""The Library view: search as you type, a table of every book sorted in SQL, and the detail pane."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.library_service import LibraryService
from bookdesk.core.worker import Worker
from bookdesk.ui.models.library_model import Column, LibraryModel
from bookdesk.ui.resources import icon
from bookdesk.ui.views.book_detail import BookDetailPane
from bookdesk.ui.views.empty_state import EmptyState
from bookdesk.ui.views.history_view import HistoryView
from bookdesk.ui.views.list_table import list_table

SEARCH_DELAY_MS = 120  # long enough to skip half-typed words, short enough to feel instant


class LibraryView(QWidget):
    def __init__(self, service: LibraryService, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.model = LibraryModel(service, worker, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search title, author, series, tag or ISBN  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: palette(placeholder-text);")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_search)

        self.table = list_table(self.model, multi_select=True)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The last column takes the slack; a narrow window scrolls sideways rather than squeezing
        # every title down to "The …".
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(48)
        for column, width in ((Column.TITLE, 300), (Column.AUTHORS, 170), (Column.SERIES, 170),
                              (Column.FORMATS, 70), (Column.PUBLISHED, 72), (Column.ADDED, 88),
                              (Column.STATUS, 64)):
            header.resizeSection(column, width)
        header.setSortIndicator(Column.TITLE, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = BookDetailPane(service)
        self.history = HistoryView(service)
        self.history.changed.connect(self.book_changed)
        self.side = QTabWidget()
        self.side.addTab(self.detail, "Details")
        self.side.addTab(self.history, "History")
        self.side.setMinimumWidth(260)
        self.side.setMaximumWidth(460)
        self.empty = EmptyState(icon("library"), "Your library is empty",
                                "Drop book files or folders anywhere on this window, or choose "
                                "File → Import Files… to bring in your EPUBs.")
        self.no_match = EmptyState(icon("library"), "No books match", "Try fewer or shorter words.")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.no_match)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([900, 290])

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self._kept: int | None = None
        self._opening = True  # the first rows: open on a book, as calibre does, so the pane is never blank
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._update_state)
        self.refresh()

    @property
    def loading(self) -> bool:
        return self.model.loading

    def refresh(self) -> None:
        """Read the books again (after an import, say), keeping search, sort and the selected book."""
        self.model.reload()

    def _remember_current(self) -> None:
        current = self.table.currentIndex()
        self._kept = self.model.work_id(current.row()) if current.isValid() else None

    def apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search.text())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def selected_ids(self) -> list[int]:
        """From the selection's row ranges: Ctrl+A on 100,000 books must not build 100,000 indexes."""
        ids: list[int] = []
        for selection_range in self.table.selectionModel().selection():
            ids.extend(self.model.ids_between(selection_range.top(), selection_range.bottom()))
        return list(dict.fromkeys(ids))

    def selected_count(self) -> int:
        return sum(r.bottom() - r.top() + 1 for r in self.table.selectionModel().selection())

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("library/splitter", self.splitter.saveState())
        settings.setValue("library/header", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        if (splitter := settings.value("library/splitter")) is not None:
            self.splitter.restoreState(splitter)
        if (header := settings.value("library/header")) is not None:
            self.table.horizontalHeader().restoreState(header)

    def _update_state(self) -> None:
        rows = self.model.rowCount()
        if rows:
            self.stack.setCurrentWidget(self.table)
        else:
            self.stack.setCurrentWidget(self.no_match if self.model.search_text else self.empty)
        total = self.service.count() if self.model.search_text else rows
        self.count_label.setText(f"{rows:,} of {total:,} books" if self.model.search_text else f"{rows:,} books")
        kept = self._kept
        self._kept = None
        row = self.model.row_of(kept) if kept is not None else None
        opening, self._opening = self._opening, False
        if row is not None:  # the book that was selected stays selected, wherever sorting put it
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        elif opening and rows:
            self.table.selectRow(0)
        else:
            self.detail.show_work(None)
            self.history.show_work(None)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        count = self.selected_count()
        if count == 1:
            work_id = self.selected_ids()[0]
            self.detail.show_work(work_id)
            self.history.show_work(work_id)
        else:
            self.detail.show_work(None, selected=count)
            self.history.show_work(None)

    def book_changed(self, work_id: int) -> None:
        """A book changed (an edit, an undo, an identification): show it as it is now."""
        row = self.model.row_of(work_id)
        if row is not None:
            self.model.refresh_row(row)
        if self.selected_ids() == [work_id]:
            self.detail.show_work(work_id)
            self.history.show_work(work_id)
