"""The library list as a Qt model: an ordered list of work ids, with rows read from SQLite by page.

As in calibre's BooksModel, ``rowCount`` is the length of the id list; sorting and
search produce a new id list in SQL (a few milliseconds for 100,000 books), and the
text of a row is read only when the view asks for it, 200 rows at a time, so a big
library never loads whole.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from bookdesk.core.library_service import LibraryService
from bookdesk.core.worker import Worker
from bookdesk.data.catalog_rows import WorkRow
from bookdesk.errors import BookDeskError, CatalogCorruptError, CatalogIOError
from bookdesk.ui.models.cell_roles import FewCallsPerCell
from bookdesk.ui.worker_rows import WorkerRows
from bookdesk.vocabulary.people import display_name, split_people
from bookdesk.vocabulary.positions import position_label

WORK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 200
_MAX_PAGES = 40  # pages kept in memory, least recently used dropped first
_EPOCH = datetime(1970, 1, 1)


class Column:
    TITLE, AUTHORS, SERIES, READ, RATING, FORMATS, PUBLISHED, ADDED, ON_SERVER = range(9)


# No Status column: the filter beside the search says which works are shown (books you have, or the
# wanted placeholders), so every row would say the same.
# The year a book was first published is its "Year": the shorter header leaves Title the room.
# "On server": the Audiobookshelf servers holding the book (issue 17).
HEADERS = ("Title", "Authors", "Series", "Read", "Rating", "Formats", "Year", "Added", "On server")
SORT_KEYS = ("title", "authors", "series", "read_state", "rating", "formats", "published", "added", "on_server")


def stars(rating: int | None) -> str:
    """A rating kept 0-10 as the stars a person gave: 7 -> "★★★½"."""
    if not rating:
        return ""
    return "★" * (rating // 2) + ("½" if rating % 2 else "")


def _cell(row: WorkRow, column: int) -> str:
    if column == Column.TITLE:
        return row.title
    if column == Column.AUTHORS:
        return row.authors
    if column == Column.SERIES:
        return row.series
    if column == Column.FORMATS:
        return row.formats
    if column == Column.READ:
        return row.read_state.capitalize()
    if column == Column.RATING:
        return stars(row.rating)
    if column == Column.PUBLISHED:
        return (row.first_published or "")[:4]
    if column == Column.ON_SERVER:
        return row.on_server
    # Column.ADDED: kept in UTC, shown in local time
    return row.added_at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d")


def _tooltip(row: WorkRow, column: int) -> str:
    if column == Column.RATING:
        return f"{row.rating / 2:g} stars" if row.rating else "Not rated"
    return _cell(row, column)  # the whole text of a cell the column elides


def parse_series(text: str) -> list[dict[str, str]]:
    """ "Earthsea #2; Hainish" -> the series field's value, each position read as the catalog reads it."""
    refs = []
    for part in text.split(";"):
        name, _, label = part.partition("#")
        if name.strip():
            refs.append({"name": name.strip(), "label": position_label(label) if label.strip() else ""})
    return refs


def parse_authors(text: str) -> list[str]:
    """ "Stephen King, Peter Straub" -> two people; "King, Stephen" -> one, shown "Stephen King" (as the
    importer reads them)."""
    return [display_name(name) for name in split_people(text)]


# Columns edited in place (F2 or double-click), and the field each one changes.
EDITABLE = {Column.TITLE: "title", Column.AUTHORS: "authors", Column.SERIES: "series"}


_BASE_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
_FLAGS = [_BASE_FLAGS | Qt.ItemFlag.ItemIsEditable if column in EDITABLE else _BASE_FLAGS
          for column in range(len(HEADERS))]


class LibraryModel(FewCallsPerCell, QAbstractTableModel):
    edited = Signal(object)  # FieldChangeRecord
    edit_failed = Signal(object)  # BookDeskError
    read_ended = Signal()  # the newest read of the order came back, shown or failed

    def __init__(self, service: LibraryService, worker: Worker, parent=None) -> None:  # noqa: ANN001 - QObject parent
        super().__init__(parent)
        self._service = service
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = None  # made when first asked, after each reload
        # 100,000 ids in order take 0.1-0.2 s to read: on the worker, not while the window waits.
        self._reading = WorkerRows(worker, "Read the library's order", self)
        self._reading.answered.connect(self.read_ended)
        self._pages: OrderedDict[int, list[WorkRow]] = OrderedDict()
        self.search_text = ""
        self.shelf = "books"  # WorkRepository's SHELVES: the books you have, not the wanted placeholders
        self._loaded = False
        self.sort_key = "title"
        self.descending = False

    # ----- what the views ask --------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == WORK_ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.EditRole):
            return None
        if role == Qt.ItemDataRole.EditRole and index.column() == Column.SERIES:
            # The list shows the first series; the editor gets them all, so none is lost by an edit.
            detail = self._service.detail(self._ids[index.row()])
            return "; ".join(s.display for s in detail.series)
        row = self.row_at(index.row())
        if row is None:
            return None
        return _tooltip(row, index.column()) if role == Qt.ItemDataRole.ToolTipRole else _cell(row, index.column())

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        # Qt asks this hundreds of thousands of times when a big selection changes: one lookup.
        return _FLAGS[index.column()] if index.isValid() else Qt.ItemFlag.NoItemFlags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in EDITABLE:
            return False
        field = EDITABLE[index.column()]
        text = str(value)
        parsed: object = {"title": text, "authors": parse_authors(text), "series": parse_series(text)}[field]
        try:
            change = self._service.edit(self._ids[index.row()], field, parsed)
        except BookDeskError as exc:
            self.edit_failed.emit(exc)
            return False
        if change is not None:
            self.refresh_row(index.row())
            self.edited.emit(change)
        return change is not None

    def refresh_row(self, row: int) -> None:
        """Read one row again after it changed (its place in the order stays until the next reload)."""
        self._pages.pop(row // PAGE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key, descending = SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending) and self._loaded:
            return
        self.sort_key, self.descending = key, descending
        # The view calls sort() while it is being set up (sorting enabled, indicator, restored
        # header); reading 100,000 ids each time would triple the start, so only a loaded model reloads.
        if self._loaded:
            self.reload()

    # ----- what the library view asks ------------------------------------------------

    def set_search(self, text: str) -> None:
        if text.strip() == self.search_text:
            return
        self.search_text = text.strip()
        self.reload()

    def set_shelf(self, shelf: str) -> None:
        if shelf != self.shelf:
            self.shelf = shelf
            self.reload()

    @property
    def narrowed(self) -> bool:
        """Showing fewer than every book: a search, or a filter other than all books."""
        return bool(self.search_text) or self.shelf != "books"

    @property
    def loading(self) -> bool:
        """The ids of the newest search or sort are still being read; the rows shown are the ones before."""
        return self._reading.loading

    def reload(self) -> None:
        """Read the ordered ids again (after a search, a sort or an import), on the worker; the model is
        reset when they come."""
        self._loaded = True
        self._reading.load(_ordered_ids, self._show_ids, self._service, self.search_text or None, self.sort_key,
                           self.descending, self.shelf)

    def _show_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._row_of = None
        self._pages.clear()
        self.endResetModel()

    def ids_between(self, top: int, bottom: int) -> list[int]:
        return self._ids[max(top, 0):bottom + 1]

    def work_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, work_id: int) -> int | None:
        # A dictionary, not list.index: an identification of 150 books asks for 150 rows among 100,000.
        if self._row_of is None:
            self._row_of = {work: row for row, work in enumerate(self._ids)}
        return self._row_of.get(work_id)

    def row_at(self, row: int) -> WorkRow | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        offset = row - page_no * PAGE
        return page[offset] if offset < len(page) else None

    def _load_page(self, page_no: int) -> list[WorkRow]:
        ids = self._ids[page_no * PAGE:(page_no + 1) * PAGE]
        try:
            rows = {r.id: r for r in self._service.rows(ids)}
        except CatalogCorruptError:
            rows = {i: WorkRow(i, "(unreadable: the catalog is damaged)", "", "", "", "", _EPOCH, None) for i in ids}
        except CatalogIOError:  # the disk away for a moment: say so, and read the page again when next shown
            return [WorkRow(i, "(could not be read just now: is the disk connected?)", "", "", "", "", _EPOCH, None)
                    for i in ids]
        # A work deleted since the ids were read keeps its place with a marker, so rows never shift.
        page = [rows.get(i) or WorkRow(i, "(removed)", "", "", "", "", _EPOCH, None) for i in ids]
        self._pages[page_no] = page
        while len(self._pages) > _MAX_PAGES:
            self._pages.popitem(last=False)
        return page


def _ordered_ids(service: LibraryService, search: str | None, sort: str, descending: bool,
                 shelf: str) -> list[int]:
    """On the worker: the ids of the books on ``shelf`` matching ``search``, in order."""
    try:
        return service.work_ids(search, sort, descending, shelf)
    except CatalogCorruptError:
        return []  # the catalog's damage is shown once, by the window (ReadOnlyBanner), not per row
