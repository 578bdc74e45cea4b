"""The Downloads view's rows: one DownloadProgress per download, replaced in place as news arrives."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from bookdesk.core.acquisition.progress import DownloadProgress
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel

BAR_ROLE = Qt.ItemDataRole.UserRole + 3  # (fraction or None, text, state) for the progress column
FINISHED = ("completed", "imported", "failed", "cancelled")


def size_text(size: float | None) -> str:
    if not size:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def _speed(p: DownloadProgress) -> str:
    return f"{size_text(p.speed)}/s" if p.state == "running" and p.speed > 0 else ""


def _eta(p: DownloadProgress) -> str:
    if p.state != "running" or p.eta is None:
        return ""
    seconds = int(p.eta)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60}:{seconds % 60:02d}"


STATE_NAMES = {"queued": "Queued", "running": "Downloading", "paused": "Paused", "completed": "Downloaded",
               "imported": "Imported", "failed": "Failed", "cancelled": "Cancelled"}

COLUMNS: list[ColumnSpec[DownloadProgress]] = [
    ColumnSpec("Title", lambda p: p.title or p.url),
    ColumnSpec("State", lambda p: STATE_NAMES.get(p.state, p.state.capitalize())),
    ColumnSpec("Progress", lambda p: ""),
    ColumnSpec("Speed", _speed, align_right=True),
    ColumnSpec("Time left", _eta, align_right=True),
    ColumnSpec("Size", lambda p: size_text(p.bytes_total), align_right=True),
    ColumnSpec("Source", lambda p: p.source),
    ColumnSpec("Ref", lambda p: p.correlation_id or ""),
    ColumnSpec("Problem", lambda p: p.last_error or ""),
]
PROGRESS_COLUMN = 2


class DownloadsModel(RecordTableModel[DownloadProgress]):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(COLUMNS, parent)

    def set_records(self, records: Sequence[DownloadProgress]) -> None:
        super().set_records(records)

    def upsert(self, progress: DownloadProgress) -> None:
        """The newest news of one download: its row replaced, or a new row at the top."""
        for row, known in enumerate(self.records):
            if known.id == progress.id:
                self.replace(row, progress)
                return
        self.insert_first(progress)

    def remove_id(self, download_id: int) -> None:
        for row, known in enumerate(self.records):
            if known.id == download_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.records[row]
                self.endRemoveRows()
                return

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == BAR_ROLE and index.isValid() and index.column() == PROGRESS_COLUMN:
            p = self.records[index.row()]
            if p.state == "imported" or (p.state == "completed" and not p.bytes_total):
                return (1.0, "100%", p.state)
            if p.bytes_total:
                fraction = min(1.0, p.bytes_done / p.bytes_total)
                return (fraction, f"{fraction:.0%}", p.state)
            return (None, size_text(p.bytes_done), p.state)
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            p = self.records[index.row()]
            lines = [p.title or p.url, p.url]
            if p.last_error:
                lines.append(f"{p.last_error} (Ref {p.correlation_id})" if p.correlation_id else p.last_error)
            if p.path:
                lines.append(p.path)
            return "\n".join(lines)
        return super().data(index, role)
