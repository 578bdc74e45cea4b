"""Library & Import: which library is open, where imported books go (a path template with a live
preview), copy or move, and the watch folder."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.path_template import DEFAULT_TEMPLATE, FIELDS, PathFields, render
from bookdesk.core.settings import Settings
from bookdesk.errors import BookDeskError, UsageError
from bookdesk.ui.dialogs.import_preview_dialog import MODE_TEXT
from bookdesk.ui.settings.page import SettingsPage
from bookdesk.ui.theme import tone

# The books the preview shows the template with: one in a series, one not.
SAMPLES = (
    PathFields(author="Ursula K. Le Guin", author_sort="Le Guin, Ursula K.", title="A Wizard of Earthsea",
               ext="epub", series="Earthsea Cycle", series_position="1", year="1968", language="en"),
    PathFields(author="Octavia E. Butler", author_sort="Butler, Octavia E.", title="Kindred", ext="m4b",
               year="1979", language="en", media="audiobook"),
)
HINT_STYLE = "color: palette(placeholder-text);"


class LibraryPage(SettingsPage):
    key = "library"
    title = "Library & Import"
    valid_changed = Signal(bool)  # False while the template cannot be used

    def __init__(self, settings: Settings, library: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if library is not None:
            layout.addWidget(self._library_box(library))

        self.template = QLineEdit(settings.import_template)
        self.template.setPlaceholderText(DEFAULT_TEMPLATE)
        self.template.setToolTip("Where each imported book goes inside the library; "
                                 "folders are separated by /")
        reset = QPushButton("Default")
        reset.setToolTip("Go back to the template BookDesk starts with")
        reset.clicked.connect(lambda: self.template.setText(DEFAULT_TEMPLATE))
        template_row = QHBoxLayout()
        template_row.addWidget(self.template, 1)
        template_row.addWidget(reset)
        fields = QLabel("Fields: " + " ".join(f"{{{name}}}" for name in FIELDS))
        fields.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fields.setStyleSheet(HINT_STYLE)
        fields.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setWordWrap(True)
        self.template.textChanged.connect(self._update_preview)
        self.mode = mode_box(settings.import_mode)
        imports = QFormLayout()
        imports.addRow(buddy_label("&Path in the library:", self.template), template_row)
        imports.addRow("", fields)
        imports.addRow("Preview:", self.preview)
        imports.addRow("Import &by:", self.mode)
        import_box = QGroupBox("Importing")
        import_box.setLayout(imports)
        layout.addWidget(import_box)

        self.watch_folder = QLineEdit(settings.watch_folder)
        self.watch_folder.setPlaceholderText("No watch folder")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_folder)
        watch_row = QHBoxLayout()
        watch_row.addWidget(self.watch_folder, 1)
        watch_row.addWidget(browse)
        self.watch_enabled = QCheckBox("Import books that appear in this folder")
        self.watch_enabled.setChecked(settings.watch_enabled)
        self.watch_mode = mode_box(settings.watch_mode)
        self.watch_interval = QSpinBox()
        self.watch_interval.setRange(5, 3600)
        self.watch_interval.setSuffix(" s")
        self.watch_interval.setValue(settings.watch_interval_seconds)
        watch = QFormLayout()
        watch.addRow(buddy_label("&Watch folder:", self.watch_folder), watch_row)
        watch.addRow("", self.watch_enabled)
        watch.addRow("Watched books &by:", self.watch_mode)
        watch.addRow("&Look every:", self.watch_interval)
        watch_box = QGroupBox("Watch folder")
        watch_box.setLayout(watch)
        layout.addWidget(watch_box)
        layout.addStretch(1)
        self.valid = True
        self._update_preview()

    def _library_box(self, library: Path) -> QGroupBox:
        self.library_label = QLabel(str(library))
        self.library_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.library_label.setWordWrap(True)
        note = QLabel("File → Open Library… switches to another library (or makes one in a folder), and File → "
                      "Recent Libraries goes back to one. Each library keeps its own catalog inside its folder.")
        note.setWordWrap(True)
        note.setStyleSheet(HINT_STYLE)
        box = QGroupBox("Library")
        form = QFormLayout(box)
        form.addRow("Open library:", self.library_label)
        form.addRow("", note)
        return box

    def values(self, settings: Settings) -> Settings:
        template = self.template.text().strip() or DEFAULT_TEMPLATE
        for sample in SAMPLES:
            render(template, sample)  # raises UsageError naming the bad field
        folder = self.watch_folder.text().strip()
        if self.watch_enabled.isChecked() and folder and Path(folder).expanduser().is_file():
            raise UsageError(f"The watch folder {folder} is a file, not a folder.")
        return replace(settings, import_template=template, import_mode=self.mode.currentData(),
                       watch_folder=folder, watch_enabled=self.watch_enabled.isChecked() and bool(folder),
                       watch_mode=self.watch_mode.currentData(),
                       watch_interval_seconds=self.watch_interval.value())

    def _update_preview(self) -> None:
        template = self.template.text().strip() or DEFAULT_TEMPLATE
        try:
            self.preview.setText("\n".join(render(template, sample) for sample in SAMPLES))
            tone(self.preview, None)
            valid = True
        except BookDeskError as exc:
            self.preview.setText(exc.message)
            tone(self.preview, "problem")
            valid = False
        if valid != self.valid:
            self.valid = valid
            self.valid_changed.emit(valid)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Watch folder", self.watch_folder.text())
        if folder:
            self.watch_folder.setText(folder)
            self.watch_enabled.setChecked(True)


def mode_box(current: str) -> QComboBox:
    box = QComboBox()
    for mode, text in MODE_TEXT.items():
        box.addItem(text, mode)
    box.setCurrentIndex(list(MODE_TEXT).index(current) if current in MODE_TEXT else 0)
    return box


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose Alt+letter moves to ``buddy`` (a row holding a layout gets none by itself)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
