"""The Library view: search as you type, a table of every book sorted in SQL, and the detail pane."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.library_service import LibraryService
from bookdesk.core.worker import Worker
from bookdesk.ui.models.library_model import HEADERS, Column, LibraryModel
from bookdesk.ui.resources import icon
from bookdesk.ui.views.book_detail import BookDetailPane
from bookdesk.ui.views.empty_state import EmptyState
from bookdesk.ui.views.history_view import HistoryView
from bookdesk.ui.views.list_table import list_table
from bookdesk.ui.window_frame import OpeningPage

SEARCH_DELAY_MS = 120  # long enough to skip half-typed words, short enough to feel instant
# The filter beside the search: WorkRepository's shelves, as a person names them.
SHELVES = {"books": "All books", "unread": "Unread", "reading": "Reading", "finished": "Finished",
           "wanted": "Wanted", "on_server": "On a server"}
_NONE_ON_SHELF = {"unread": "No unread books", "reading": "No books you are reading",
                  "finished": "No finished books", "wanted": "Nothing wanted",
                  "on_server": "No books on an Audiobookshelf server"}


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

        self.show_only = QComboBox()
        self.show_only.setToolTip("Which books to list: every book you have, those in one read state, or the "
                                  "wanted books that stand for the ones you lack")
        for shelf, text in SHELVES.items():
            self.show_only.addItem(text, shelf)
        self.show_only.currentIndexChanged.connect(lambda _i: self.model.set_shelf(self.show_only.currentData()))

        self.table = list_table(self.model, multi_select=True)
        self.table.setSortingEnabled(True)
        # F2 edits a title, authors or series in place; a double-click opens Edit Metadata (BookActions).
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole text is in the cell's tooltip
        _size_columns(self.table)
        self.table.horizontalHeader().setSortIndicator(Column.TITLE, Qt.SortOrder.AscendingOrder)
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
        # Until the first rows are read (on the worker), the view says so, as the window's frame did before.
        self.opening_state = OpeningPage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.no_match)
        self.stack.addWidget(self.opening_state)
        self.stack.setCurrentWidget(self.opening_state)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([900, 290])

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_only)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self._kept: int | None = None
        self._kept_selected: list[int] = []
        self._opening = True  # the first rows: open on a book, as calibre does, so the pane is never blank
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._update_state)
        self.model.read_ended.connect(self._opened)
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
        self._kept_selected = self.selected_ids()  # all of them: the next shortcut acts on the same books

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
        settings.setValue("library/columns", ",".join(HEADERS))

    def restore_state(self, settings: QSettings) -> None:
        if (splitter := settings.value("library/splitter")) is not None:
            self.splitter.restoreState(splitter)
        # Column widths saved with other columns would put each width on another column.
        same_columns = settings.value("library/columns") == ",".join(HEADERS)
        if same_columns and (header := settings.value("library/header")) is not None:
            self.table.horizontalHeader().restoreState(header)

    def _opened(self) -> None:
        """A first read that failed (told by the bridge, with its Ref) leaves the table, not "Opening library…"."""
        if self.stack.currentWidget() is self.opening_state:
            self.stack.setCurrentWidget(self.table)

    def _update_state(self) -> None:
        rows, model = self.model.rowCount(), self.model
        if rows:
            self.stack.setCurrentWidget(self.table)
        elif not model.narrowed:
            self.stack.setCurrentWidget(self.empty)
        else:
            self._show_no_match()
        noun = "wanted" if model.shelf == "wanted" else "books"
        if model.narrowed:
            total = self.service.count("wanted" if model.shelf == "wanted" else "books")
            self.count_label.setText(f"{rows:,} of {total:,} {noun}" if rows != total or model.search_text
                                     else f"{rows:,} {noun}")
        else:
            self.count_label.setText(f"{rows:,} {noun}")
        kept, kept_selected = self._kept, self._kept_selected
        self._kept, self._kept_selected = None, []
        selected = sorted(r for r in map(self.model.row_of, kept_selected) if r is not None)
        row = self.model.row_of(kept) if kept is not None else None
        row = row if row is not None else (selected[0] if selected else None)
        opening, self._opening = self._opening, False
        if row is not None:  # the books that were selected stay selected, wherever sorting put them
            self._select(selected or [row], current=row)
        elif opening and rows:
            self.table.selectRow(0)
        else:
            self.detail.show_work(None)
            self.history.show_work(None)

    def _select(self, rows: list[int], current: int) -> None:
        """Select these rows (sorted), as runs of neighbours: Ctrl+A on 100,000 books is one range."""
        selection, last_column = QItemSelection(), self.model.columnCount() - 1
        start = previous = rows[0]
        for row in [*rows[1:], None]:
            if row is None or row != previous + 1:
                selection.select(self.model.index(start, 0), self.model.index(previous, last_column))
                start = row
            previous = row
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(self.model.index(current, 0), flags.NoUpdate)
        self.table.selectionModel().select(selection, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(self.model.index(current, 0))

    def _show_no_match(self) -> None:
        if self.model.search_text:
            self.no_match.title.setText("No books match")
            self.no_match.hint.setText("Try fewer or shorter words" + (
                ", or choose All books beside the search." if self.model.shelf != "books" else "."))
        else:
            self.no_match.title.setText(_NONE_ON_SHELF[self.model.shelf])
            self.no_match.hint.setText("Choose All books beside the search to see every book.")
        self.stack.setCurrentWidget(self.no_match)

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
        """A book changed (an edit, an undo, an identification): show it as it is now. A book taken out
        meanwhile (a sync with Audiobookshelf removed its item) leaves the list, read again without it."""
        row = self.model.row_of(work_id)
        if row is not None and not self.service.rows([work_id]):
            self.refresh()
            return
        if row is not None:
            self.model.refresh_row(row)
        if self.selected_ids() == [work_id]:
            self.detail.show_work(work_id)
            self.history.show_work(work_id)


def _size_columns(table: QTableView) -> None:
    """Short columns as wide as their widest text (a date, "Finished", five stars) and their header with
    its sort arrow; Title takes what is left, so the table fits the default window without sideways
    scrolling, and longer text is elided with the whole of it in the tooltip."""
    header = table.horizontalHeader()
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    cells, heads = table.fontMetrics(), header.fontMetrics()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(40)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
    for column, samples in _WIDEST.items():
        widest = max(cells.horizontalAdvance(text) for text in samples) + 2 * margin + 4
        header.resizeSection(column, max(widest, heads.horizontalAdvance(HEADERS[column]) + 3 * margin + arrow))
    for column in (Column.AUTHORS, Column.SERIES):
        header.resizeSection(column, 20 * cells.averageCharWidth())


# The widest text each short column shows (Formats elides past two formats).
_WIDEST = {Column.READ: ("Finished", "Reading", "Unread"), Column.RATING: ("★★★★★",),
           Column.FORMATS: ("EPUB, PDF", "M4B, MP3"), Column.PUBLISHED: ("0000",),
           Column.ADDED: ("0000-00-00", "2000-12-28"), Column.ON_SERVER: ("Home NAS",)}
