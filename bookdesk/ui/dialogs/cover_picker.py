"""The cover part of the Edit Metadata dialog: the cover as it is, and a new one chosen from a picture
file, a web address or the book's own files, shown before it is applied.

The picture is read, fetched and checked on the worker (``core/editing/covers.py``); what cannot be a
cover is said under the preview and changes nothing. The chosen picture is written to the library only
when the dialog's edit is applied, in the same edit (one Ref).
"""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.editing.covers import (
    CoverError,
    CoverImage,
    cover_from_book,
    cover_from_file,
    cover_from_url,
)
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.ui.resources import icon_path
from bookdesk.ui.theme import tone_colour

if TYPE_CHECKING:
    from bookdesk.ui.main_window import MainWindow

WIDTH, HEIGHT = 200, 300
PICTURES = "Pictures (*.jpg *.jpeg *.png *.webp *.gif);;All files (*)"


class CoverPicker(QWidget):
    changed = Signal()  # a new picture was chosen

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.detail: WorkDetail | None = None
        self.chosen: CoverImage | None = None
        self.shown = ""  # the caption of the cover as it is
        self.preview = QLabel()
        self.preview.setFixedSize(WIDTH, HEIGHT)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid palette(mid); border-radius: 3px;")
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet("color: palette(placeholder-text);")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setMaximumWidth(WIDTH)
        self.message.setObjectName("problem")
        self.message.hide()
        self.from_file = QPushButton("From File…")
        self.from_file.setToolTip("A picture on this computer (JPEG, PNG, WebP or GIF)")
        self.from_file.clicked.connect(lambda: self.choose_file())
        self.from_url = QPushButton("From Web Address…")
        self.from_url.setToolTip("The address of a picture on the web")
        self.from_url.clicked.connect(lambda: self.choose_url())
        self.from_book = QPushButton("From the Book")
        self.from_book.setToolTip("The cover inside the book's own file (EPUB, audiobook tags, PDF, comic)")
        self.from_book.clicked.connect(self.choose_from_book)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption)
        layout.addWidget(self.message)
        for button in (self.from_file, self.from_url, self.from_book):
            button.setFixedWidth(WIDTH)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    # ----- what is shown -----------------------------------------------------------------------

    def show_book(self, detail: WorkDetail) -> None:
        """The book's cover as it is; nothing chosen yet."""
        self.detail, self.chosen, self.shown = detail, None, ""
        self.say("")
        pixmap = QPixmap(str(self.window_.service.absolute(detail.cover_path))) if detail.cover_path else QPixmap()
        if pixmap.isNull():
            self._show(QPixmap(str(icon_path("cover-placeholder"))), "No cover" if not detail.cover_path
                       else "The cover file is missing")
        else:
            self._show(pixmap, f"{pixmap.width()} × {pixmap.height()}")
        self.shown = self.caption.text()
        self.from_book.setEnabled(bool(detail.files))

    def _show(self, pixmap: QPixmap, caption: str) -> None:
        self.preview.setPixmap(pixmap.scaled(WIDTH - 4, HEIGHT - 4, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))
        self.caption.setText(caption)

    def say(self, problem: str) -> None:
        self.message.setStyleSheet(f"color: {tone_colour('problem')};")
        self.message.setText(problem)
        self.message.setVisible(bool(problem))

    # ----- choosing ----------------------------------------------------------------------------

    def choose_file(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Choose a Cover", str(Path.home()), PICTURES)
            if not name:
                return
            path = Path(name)
        worker = self.window_.worker
        self._load(worker.call(cover_from_file, path), f"Read the cover {path.name}")

    def choose_url(self, url: str | None = None) -> None:
        if url is None:
            url, ok = QInputDialog.getText(self, "Cover from the Web", "Address of the picture:",
                                           QLineEdit.EchoMode.Normal, "https://")
            if not ok or not url.strip():
                return
        worker = self.window_.worker
        self._load(worker.run(cover_from_url, worker.net, url.strip()), "Fetch a cover")

    def choose_from_book(self) -> None:
        if self.detail is None:
            return
        worker = self.window_.worker
        self._load(worker.call(cover_from_book, self.window_.service.folder, self.detail),
                   "Read the cover inside the book")

    def _load(self, submission: Awaitable[CoverImage], what: str) -> None:
        self.say("")
        self.caption.setText("Loading…")
        self._enable(False)
        self.window_.bridge.start(self._take(submission), what=what, owner=self)

    async def _take(self, submission: Awaitable[CoverImage]) -> None:
        try:
            image = await submission
        except CoverError as exc:
            self.caption.setText(self._chosen_caption())
            self.say(exc.message)
            return
        finally:
            self._enable(True)
        pixmap = QPixmap()
        if not pixmap.loadFromData(image.data):  # checked in core, and Qt must be able to draw it too
            self.caption.setText(self._chosen_caption())
            self.say("That picture could not be shown; choose another one.")
            return
        self.chosen = image
        self._show(pixmap, f"New: {image.width} × {image.height} {image.ext.upper()}")
        self.changed.emit()

    def _chosen_caption(self) -> str:
        if self.chosen is not None:
            return f"New: {self.chosen.width} × {self.chosen.height} {self.chosen.ext.upper()}"
        return self.shown

    def _enable(self, on: bool) -> None:
        for button in (self.from_file, self.from_url):
            button.setEnabled(on)
        self.from_book.setEnabled(on and bool(self.detail and self.detail.files))
