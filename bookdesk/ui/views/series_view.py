"""The Series view: every series with its completion per media kind, filters, and a detail pane of
its books in order, owned ones and ghosts of the missing, with Monitor, Want Missing and Ignore."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.library_service import LibraryService
from bookdesk.core.series.service import SeriesService
from bookdesk.core.series.summaries import OFFLINE, SeriesEntryView, SeriesOverview
from bookdesk.core.worker import Worker
from bookdesk.ui.dialogs.check_history_dialog import CheckHistoryDialog
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

FILTERS = {"all": "All series", "gaps": "With gaps", "incomplete": "Not complete", "monitored": "Monitored"}


def _figures(s: SeriesOverview, kind: str) -> str:
    f = s.kind(kind)
    return f"{f.owned} / {f.owned + f.missing}" if f.owned + f.missing else "—"


COLUMNS: list[ColumnSpec[SeriesOverview]] = [
    ColumnSpec("Series", lambda s: s.name + (" ★" if s.monitored else "")),
    ColumnSpec("Author", lambda s: s.authors),
    ColumnSpec("Ebooks", lambda s: _figures(s, "ebook")),
    ColumnSpec("Audiobooks", lambda s: _figures(s, "audiobook")),
    ColumnSpec("Missing", lambda s: str(s.missing) if s.missing else "", align_right=True),
    ColumnSpec("Known total", lambda s: "" if s.total is None else str(s.total), align_right=True),
    ColumnSpec("Status", lambda s: s.status.capitalize()),
]
KIND_COLUMNS = {2: "ebook", 3: "audiobook"}


class SeriesDetail(QWidget):
    """The right-hand pane: one series' books in order, and what to do about the missing ones."""

    changed = Signal()
    check_requested = Signal(list)  # series ids to check against the providers

    def __init__(self, series: SeriesService, library: LibraryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series, self.library = series, library
        self.current: SeriesOverview | None = None
        self.title = QLabel("Select a series to see its books.")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.confidence = QLabel()
        self.confidence.setWordWrap(True)
        self.confidence.setStyleSheet("color: palette(placeholder-text);")
        self.entries = QListWidget()
        self.entries.setIconSize(QPixmap(40, 60).size())
        # A narrow pane: a long line elides, whole in its tooltip, rather than scrolling sideways.
        self.entries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entries.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.monitor = QCheckBox("Monitor this series (check it for new books)")
        self.monitor.toggled.connect(self._monitor)
        self.want_button = QPushButton("Want Missing")
        self.want_button.clicked.connect(self.want_missing)
        self.ignore_button = QPushButton("Ignore Series")
        self.ignore_button.clicked.connect(self.ignore)
        self.check_button = QPushButton("Check Providers")
        self.check_button.setToolTip("Ask the metadata providers which books this series has")
        self.check_button.clicked.connect(lambda: self.check_requested.emit([self.current.id] if self.current else []))
        self.history_button = QPushButton("Check History…")
        self.history_button.setToolTip("Every check of this series against the providers")
        self.history_button.clicked.connect(self.show_history)
        # Two rows of two: the pane stays narrow enough for a small window.
        checks = QHBoxLayout()
        checks.addWidget(self.check_button)
        checks.addWidget(self.history_button)
        actions = QHBoxLayout()
        actions.addWidget(self.want_button)
        actions.addWidget(self.ignore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.confidence)
        layout.addWidget(self.entries, 1)
        layout.addWidget(self.monitor)
        layout.addLayout(checks)
        layout.addLayout(actions)
        self.show_series(None)

    def show_series(self, overview: SeriesOverview | None) -> None:
        self.current = overview
        for widget in (self.monitor, self.want_button, self.ignore_button, self.check_button, self.history_button):
            widget.setEnabled(overview is not None)
        self.entries.clear()
        if overview is None:
            self.title.setText("Select a series to see its books.")
            self.confidence.clear()
            return
        self.title.setText(overview.name)
        self.monitor.blockSignals(True)
        self.monitor.setChecked(overview.monitored)
        self.monitor.blockSignals(False)
        self.ignore_button.setText("Stop Ignoring" if overview.ignored else "Ignore Series")
        gaps = self.series.series_gaps(overview.id)
        self.confidence.setText(gaps.confidence if getattr(gaps, "confidence", "") else
                                f"{overview.overall.owned} owned, {overview.missing} missing"
                                + (f" of {overview.total}" if overview.total else "")
                                + (f" · from {', '.join(overview.sources)}" if overview.sources else
                                   " · from your library alone"))
        checks = self.series.history(overview.id)
        done = [c for c in checks if c.media_kind != OFFLINE]  # an attempt that reached no provider is no check
        if done:
            last = done[0]
            self.confidence.setText(self.confidence.text() + f"\nLast checked {last.checked_at:%Y-%m-%d %H:%M} UTC"
                                    + (f" with {', '.join(last.sources)}" if last.sources else ""))
        if checks and checks[0].media_kind == OFFLINE:
            self.confidence.setText(self.confidence.text() + f"\nNot checked {checks[0].checked_at:%Y-%m-%d %H:%M} "
                                    f"UTC: offline, {', '.join(checks[0].sources)} could not be reached")
        for entry in self.series.entries(overview.id):
            self.entries.addItem(self._item(entry))
        self.want_button.setEnabled(overview.missing > 0)

    def show_history(self) -> CheckHistoryDialog | None:
        if self.current is None:
            return None
        dialog = CheckHistoryDialog(self.current.name, self.series.check_history(self.current.id), self)
        dialog.open()
        return dialog

    def _item(self, entry: SeriesEntryView) -> QListWidgetItem:
        kinds = ", ".join(entry.media_kinds) if entry.media_kinds else ""
        label = f"#{entry.label}" if entry.label else "—"
        if entry.state == "owned":
            text = f"{label}  {entry.title}" + (f"   ({kinds})" if kinds else "")
            if entry.missing_kinds:
                text += f"   · no {', '.join(entry.missing_kinds)}"
        else:
            when = f" · {entry.release_date:%Y-%m-%d}" if entry.release_date else ""
            text = f"{label}  {entry.title or 'Unknown title'}   [{entry.state}{when}]"
        item = QListWidgetItem(text)
        item.setToolTip(text)
        item.setData(Qt.ItemDataRole.UserRole, entry)
        cover = QPixmap(str(self.library.absolute(entry.cover_path))) if entry.cover_path else QPixmap()
        item.setIcon(QIcon(cover) if not cover.isNull() else icon("cover-placeholder"))
        if entry.state != "owned":  # a ghost of a book you do not have: quiet, yet readable in either theme
            item.setForeground(QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText)))
        return item

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange and self.current is not None:
            self.show_series(self.current)  # the ghosts take the new theme's quiet colour
        super().changeEvent(event)

    def _monitor(self, on: bool) -> None:
        if self.current is not None:
            self.series.set_monitored(self.current.id, on)
            self.changed.emit()

    def want_missing(self) -> list[int]:
        if self.current is None:
            return []
        created = self.series.want_missing(self.current.id)
        self.changed.emit()
        return created

    def ignore(self) -> None:
        if self.current is not None:
            self.series.ignore_series(self.current.id, not self.current.ignored)
            self.changed.emit()


class SeriesView(QWidget):
    def __init__(self, service: LibraryService, series: SeriesService, worker: Worker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.series = service, series
        self.read: FilteredRows[SeriesOverview] = FilteredRows([], [], [], ((), "all"))  # the rows shown, and more
        self.rows = WorkerRows(worker, "Read the series", self)
        self.model = KindFiguresModel(COLUMNS, KIND_COLUMNS, self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter series or author")
        self.filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(120)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.show_only = QComboBox()
        for key, text in FILTERS.items():
            self.show_only.addItem(text, key)
        self.show_only.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table = list_table(self.model)
        delegate = CompletionDelegate(self.table)
        for column in KIND_COLUMNS:
            self.table.setItemDelegateForColumn(column, delegate)
        self.columns = ColumnFit(self.table, elastic=(0, 1))  # the series' name and its authors
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.detail = SeriesDetail(series, service)
        self.detail.changed.connect(self.refresh)
        self.empty = EmptyState(icon("series"), "No series yet",
                                "Books that belong to a series are grouped here as you import them, with what "
                                "you own and what is missing.")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.note = QLabel()
        self.note.setStyleSheet("color: palette(placeholder-text);")
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.show_only)
        bar.addWidget(self.note)
        splitter = QSplitter()
        splitter.addWidget(self.stack)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([820, 320])  # the table first: its names elide less
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    @property
    def loading(self) -> bool:
        return self.rows.loading

    def refresh(self) -> None:
        """Read every series' summary again, on the worker; the rows shown stay until the new ones come."""
        keep = self.detail.current.id if self.detail.current else None
        self.note.setText("Loading series…")
        self.rows.load(_read_summaries, lambda read: self._show(read, keep), self.series, self._filter())

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        self._show(filtered(self.read.all, self.read.folded, self._filter(), _keep))

    def _filter(self) -> Filter:
        return tuple(fold(self.filter.text()).split()), self.show_only.currentData()

    def _show(self, read: FilteredRows[SeriesOverview], keep: int | None = None) -> None:
        if read.by != self._filter():  # the filter changed while the rows were read
            read = filtered(read.all, read.folded, self._filter(), _keep)
        before, self.read = self.read, read
        swap_in(self.model, self.rows, before, read)
        shown, every = len(read.shown), len(read.all)
        self.stack.setCurrentWidget(self.table if read.all else self.empty)
        self.note.setText(f"{shown:,} of {every:,} series" if shown != every else f"{shown:,} series")
        if keep is not None:
            self.select(keep)

    def select(self, series_id: int) -> None:
        for row, overview in enumerate(self.model.records):
            if overview.id == series_id:
                self.table.selectRow(row)
                return
        self.detail.show_series(None)

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.detail.show_series(self.model.records[rows[0].row()] if rows else None)


def _read_summaries(series: SeriesService, by: Filter) -> FilteredRows[SeriesOverview]:
    """On the worker: every series' summary, with the text the filter looks in folded once, filtered."""
    summaries = list(series.summaries())  # the view's own: emptied on the worker when let go, not the service's
    return filtered(summaries, [fold_remembered(f"{s.name} {s.authors}") for s in summaries], by, _keep)


def _keep(overview: SeriesOverview, by: Filter) -> bool:
    kind = by[1]
    if kind == "gaps":
        return overview.has_gaps
    if kind == "incomplete":
        return overview.status != "complete"
    if kind == "monitored":
        return overview.monitored
    return not overview.ignored
