"""The Authors view: every author with what is owned and missing per media kind, and Monitor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.series.service import SeriesService
from bookdesk.core.series.summaries import AuthorOverview
from bookdesk.core.worker import Worker
from bookdesk.ui.filtered_rows import Filter, FilteredRows, filtered, swap_in
from bookdesk.ui.models.kind_figures_model import KindFiguresModel
from bookdesk.ui.models.record_table_model import ColumnSpec
from bookdesk.ui.resources import icon
from bookdesk.ui.views.column_fit import ColumnFit
from bookdesk.ui.views.completion_delegate import CompletionDelegate
from bookdesk.ui.views.empty_state import EmptyState
from bookdesk.ui.views.list_table import list_table
from bookdesk.ui.worker_rows import WorkerRows
from bookdesk.vocabulary.folding import fold, fold_remembered

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
    check_requested = Signal(str)  # an author's name: fetch their bibliography

    def __init__(self, series: SeriesService, worker: Worker, library_rows=None,  # noqa: ANN001
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = series
        self.library_rows = library_rows or (lambda ids: [])  # work ids -> WorkRow list, for the split dialog
        self.read: FilteredRows[AuthorOverview] = FilteredRows([], [], [], ((),))  # the rows shown, and more
        self.rows = WorkerRows(worker, "Read the authors", self)
        self.model = KindFiguresModel(COLUMNS, KIND_COLUMNS, self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter authors")
        self.filter.setClearButtonEnabled(True)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(120)
        timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _t: timer.start())
        self.table = list_table(self.model, multi_select=True)
        delegate = CompletionDelegate(self.table)
        for column in KIND_COLUMNS:
            self.table.setItemDelegateForColumn(column, delegate)
        self.columns = ColumnFit(self.table, elastic=(0, 1))  # the name and the other names
        self.monitor_button = QPushButton("Monitor")
        self.monitor_button.setCheckable(True)
        self.monitor_button.toggled.connect(self._monitor)
        self.merge_button = QPushButton("Merge Selected")
        self.merge_button.setToolTip("One person under several names: the name on most of your books stays, the "
                                     "others become its aliases")
        self.merge_button.clicked.connect(self.merge_selected)
        self.split_button = QPushButton("Split Alias…")
        self.split_button.setToolTip("Two people under one name: make one of its other names an author of its own")
        self.split_button.clicked.connect(self.split_alias)
        self.check_button = QPushButton("Check Providers")
        self.check_button.setToolTip("Ask Hardcover which books and series this author has written")
        self.check_button.clicked.connect(lambda: self.check_requested.emit(self.selected().name)
                                          if self.selected() else None)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.note = QLabel()
        self.note.setStyleSheet("color: palette(placeholder-text);")
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.monitor_button)
        bar.addWidget(self.merge_button)
        bar.addWidget(self.split_button)
        bar.addWidget(self.check_button)

        bar.addWidget(self.note)
        self.empty = EmptyState(icon("authors"), "No authors yet",
                                "The authors of the books you import are listed here, with what you own of "
                                "theirs and what is missing, as ebooks and as audiobooks. Monitor an author "
                                "to hear of their new books.")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self._selected()

    @property
    def loading(self) -> bool:
        return self.rows.loading

    def refresh(self, then: Callable[[], object] | None = None) -> None:
        """Read every author's summary again, on the worker; ``then`` once they are shown."""
        self.note.setText("Loading authors…")
        self.rows.load(_read_authors, lambda read: self._show(read, then), self.series, self._filter())

    def apply_filter(self) -> None:
        self._show(filtered(self.read.all, self.read.folded, self._filter()))

    def _filter(self) -> Filter:
        return (tuple(fold(self.filter.text()).split()),)

    def _show(self, read: FilteredRows[AuthorOverview], then: Callable[[], object] | None = None) -> None:
        if read.by != self._filter():  # typed while the rows were read
            read = filtered(read.all, read.folded, self._filter())
        before, self.read = self.read, read
        swap_in(self.model, self.rows, before, read)
        self.stack.setCurrentWidget(self.table if read.all else self.empty)
        self.note.setText(f"{len(read.shown):,} authors")
        if then is not None:
            then()

    def selected(self) -> AuthorOverview | None:
        chosen = self.selected_all()
        return chosen[0] if len(chosen) == 1 else None

    def selected_all(self) -> list[AuthorOverview]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.records[r] for r in rows]

    def merge_selected(self) -> None:
        chosen = self.selected_all()
        if len(chosen) < 2:
            return
        keep = max(chosen, key=lambda a: (a.overall.owned, -chosen.index(a)))  # the name most books carry
        others = [a for a in chosen if a is not keep]
        answer = QMessageBox.question(self, "Merge authors", f"Keep “{keep.name}” and make "
                                      + ", ".join(f"“{o.name}”" for o in others) + " its other names?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        for other in others:
            self.series.merge_authors(keep.id, other.id)
        self.refresh()

    def split_alias(self) -> None:
        from bookdesk.ui.dialogs.split_alias_dialog import SplitAliasDialog

        author = self.selected()
        if author is None or not author.aliases:
            return
        books = self.library_rows(self.series.author_work_ids(author.id))
        dialog = SplitAliasDialog(author.name, list(author.aliases), books, self)

        def split() -> None:
            alias, work_ids = dialog.chosen()
            self.series.split_alias(author.id, alias, work_ids)
            self.refresh()

        dialog.accepted.connect(split)
        self.split_dialog = dialog
        dialog.open()

    def _selected(self) -> None:
        chosen = self.selected_all()
        author = self.selected()
        self.merge_button.setEnabled(len(chosen) >= 2)
        self.monitor_button.setEnabled(author is not None)
        self.check_button.setEnabled(author is not None)
        self.split_button.setEnabled(bool(author and author.aliases))
        self.monitor_button.blockSignals(True)
        self.monitor_button.setChecked(bool(author and author.monitored))
        self.monitor_button.blockSignals(False)

    def _monitor(self, on: bool) -> None:
        author = self.selected()
        if author is not None:
            self.series.set_author_monitored(author.id, on)
            self.refresh(then=lambda keep=author.id: self._select(keep))

    def _select(self, author_id: int) -> None:
        for row, a in enumerate(self.model.records):
            if a.id == author_id:
                self.table.selectRow(row)


def _read_authors(series: SeriesService, by: Filter) -> FilteredRows[AuthorOverview]:
    """On the worker: every author's summary, with the names the filter looks in folded once, filtered."""
    authors = list(series.authors())  # the view's own: emptied on the worker when let go, not the service's
    return filtered(authors, [fold_remembered(f"{a.name} {' '.join(a.aliases)}") for a in authors], by)
