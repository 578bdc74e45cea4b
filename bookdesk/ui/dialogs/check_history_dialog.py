"""Every check of one series against the providers: when, with which providers, and what was owned
and missing then, so a person can see a series fill up (or a provider change its mind)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QVBoxLayout, QWidget

from bookdesk.core.series.summaries import SeriesCheck
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.views.list_table import list_table


def _pair(figures: tuple[int, int]) -> str:
    owned, missing = figures
    return f"{owned} / {owned + missing}" if owned + missing else "—"


COLUMNS: list[ColumnSpec[SeriesCheck]] = [
    ColumnSpec("Checked (UTC)", lambda c: f"{c.checked_at:%Y-%m-%d %H:%M}"),
    ColumnSpec("Providers", lambda c: (f"offline: {', '.join(c.sources)} could not be reached" if c.offline
                                       else ", ".join(c.sources) or "your library alone")),
    ColumnSpec("Known total", lambda c: "" if c.total is None else str(c.total), align_right=True),
    ColumnSpec("Owned / known", lambda c: _pair(c.overall), align_right=True),
    ColumnSpec("Missing", lambda c: str(c.overall[1]) if c.overall[1] else "", align_right=True),
    ColumnSpec("Ebooks", lambda c: _pair(c.ebook), align_right=True),
    ColumnSpec("Audiobooks", lambda c: _pair(c.audiobook), align_right=True),
]


class CheckHistoryDialog(QDialog):
    def __init__(self, series_name: str, checks: list[SeriesCheck], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Checks of {series_name}")
        self.resize(720, 360)
        self.model: RecordTableModel[SeriesCheck] = RecordTableModel(COLUMNS, self)
        self.model.set_records(checks)
        self.table = list_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        summary = (f"{len(checks)} check{'s' if len(checks) != 1 else ''}, newest first." if checks else
                   "This series has not been checked against the providers yet. Check Providers asks them "
                   "which books it has.")
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
