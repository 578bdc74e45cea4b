"""The pane beside the library list: cover, title, people, series, identifiers, files, description."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.ui.resources import icon_path

COVER_WIDTH = 180


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def _human_duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{max(minutes, 1)} min"


class BookDetailPane(QScrollArea):
    def __init__(self, service: LibraryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 16, 16, 16)

        self.cover = QLabel()
        self.cover.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.cover.setMinimumHeight(COVER_WIDTH * 3 // 2)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a title "<b>" is a title, not markup
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.authors = QLabel()
        self.authors.setTextFormat(Qt.TextFormat.PlainText)
        self.authors.setWordWrap(True)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.series = self._value()
        self.identifiers = self._value()
        self.language = self._value()
        self.status = self._value()
        self.files = self._value(rich=True)  # escaped below
        form.addRow("Series:", self.series)
        form.addRow("Identifiers:", self.identifiers)
        form.addRow("Language:", self.language)
        form.addRow("Status:", self.status)
        form.addRow("Files:", self.files)
        # A calibre library's custom columns, one row each, named after the column (as many as the book has).
        self.custom_form = QFormLayout()
        self.custom_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.placeholder = QLabel("Select a book to see its details.")
        self.placeholder.setStyleSheet("color: palette(placeholder-text);")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout.addWidget(self.placeholder)
        layout.addWidget(self.cover)
        layout.addWidget(self.title)
        layout.addWidget(self.authors)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addLayout(self.custom_form)
        layout.addSpacing(8)
        layout.addWidget(self.description)
        layout.addStretch(1)
        self.setWidget(body)
        self._content = [self.cover, self.title, self.authors, self.description]
        self._form = form
        self.show_work(None)

    @staticmethod
    def _value(rich: bool = False) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_work(self, work_id: int | None, selected: int = 0) -> None:
        detail = self._service.detail(work_id) if work_id is not None else None
        self.placeholder.setText(f"{selected:,} books selected." if selected > 1 else "Select a book to see its details.")
        self.placeholder.setVisible(detail is None)
        for widget in self._content:
            widget.setVisible(detail is not None)
        for row in range(self._form.rowCount()):
            self._form.setRowVisible(row, detail is not None)
        while self.custom_form.rowCount():
            self.custom_form.removeRow(0)
        if detail is not None:
            self._fill(detail)
            for field in self._service.custom_fields(detail.id):
                value = self._value()
                value.setText(custom_text(field.value))
                self.custom_form.addRow(f"{field.label}:", value)

    def _fill(self, book: WorkDetail) -> None:
        self.current = book
        self.title.setText(book.title + (f": {book.subtitle}" if book.subtitle else ""))
        people = [c.name for c in book.contributors if c.role == "author"] or ["Unknown author"]
        others = [f"{c.name} ({c.role})" for c in book.contributors if c.role != "author"]
        self.authors.setText(", ".join(people) + (f"\n{', '.join(others)}" if others else ""))
        self.series.setText("\n".join(s.display for s in book.series) or "—")
        shown = {k: v for k, v in book.identifiers.items() if k != "uuid"}  # the uuid is the file's, not the reader's
        self.identifiers.setText("\n".join(f"{k.upper()}: {v}" for k, v in shown.items()) or "—")
        self.language.setText(book.language or "—")
        self.status.setText(book.status.capitalize())
        self.files.setText("<br>".join(
            f"{escape(f.format.upper())} · {_human_size(f.size)}"
            + (f" · {_human_duration(f.duration_seconds)}" if f.duration_seconds else "")
            + f"<br><small>{escape(f.path)}</small>"
            for f in book.files) or _elsewhere(book))
        self.description.setText(book.description or "")
        self.description.setVisible(bool(book.description))
        self.cover.setPixmap(self._cover(book))

    def _cover(self, book: WorkDetail) -> QPixmap:
        pixmap = QPixmap()
        if book.cover_path:
            pixmap.load(str(self._service.absolute(book.cover_path)))
        if pixmap.isNull():
            pixmap.load(str(icon_path("cover-placeholder")))
        ratio = self.devicePixelRatioF()
        scaled = pixmap.scaled(int(COVER_WIDTH * ratio), int(COVER_WIDTH * 1.5 * ratio),
                               Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        return scaled


def _elsewhere(book: WorkDetail) -> str:
    """The files of a book with none here: on an Audiobookshelf server, or nowhere."""
    return f"None here; on {escape(', '.join(book.on_server))}" if book.on_server else "—"


def custom_text(value: object) -> str:
    """A custom column's value as the pane shows it: yes or no, a list joined, anything else as it is."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
