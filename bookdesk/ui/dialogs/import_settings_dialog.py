"""Import settings: where books go (a path template with a live preview), copy or move, and the
watch folder."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
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
from bookdesk.errors import BookDeskError
from bookdesk.ui.dialogs.import_preview_dialog import MODE_TEXT

# The books the preview shows the template with: one in a series, one not.
SAMPLES = (
    PathFields(author="Ursula K. Le Guin", author_sort="Le Guin, Ursula K.", title="A Wizard of Earthsea",
               ext="epub", series="Earthsea Cycle", series_position="1", year="1968", language="en"),
    PathFields(author="Octavia E. Butler", author_sort="Butler, Octavia E.", title="Kindred", ext="m4b",
               year="1979", language="en", media="audiobook"),
)


class ImportSettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Settings")
        self.setMinimumWidth(720)
        self.template = QLineEdit(settings.import_template)
        self.template.setPlaceholderText(DEFAULT_TEMPLATE)
        reset = QPushButton("Default")
        reset.clicked.connect(lambda: self.template.setText(DEFAULT_TEMPLATE))
        template_row = QHBoxLayout()
        template_row.addWidget(self.template, 1)
        template_row.addWidget(reset)
        fields = QLabel("Fields: " + " ".join(f"{{{name}}}" for name in FIELDS))
        fields.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fields.setStyleSheet("color: palette(placeholder-text);")
        fields.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        self.template.textChanged.connect(self._update_preview)

        self.mode = _mode_box(settings.import_mode)
        self.watch_enabled = QCheckBox("Import books that appear in this folder")
        self.watch_enabled.setChecked(settings.watch_enabled)
        self.watch_folder = QLineEdit(settings.watch_folder)
        self.watch_folder.setPlaceholderText("No watch folder")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_folder)
        watch_row = QHBoxLayout()
        watch_row.addWidget(self.watch_folder, 1)
        watch_row.addWidget(browse)
        self.watch_mode = _mode_box(settings.watch_mode)
        self.watch_interval = QSpinBox()
        self.watch_interval.setRange(5, 3600)
        self.watch_interval.setSuffix(" s")
        self.watch_interval.setValue(settings.watch_interval_seconds)

        form = QFormLayout()
        form.addRow("Path in the library:", template_row)
        form.addRow("", fields)
        form.addRow("Preview:", self.preview)
        form.addRow("Import by:", self.mode)
        form.addRow("Watch folder:", watch_row)
        form.addRow("", self.watch_enabled)
        form.addRow("Watched books by:", self.watch_mode)
        form.addRow("Look every:", self.watch_interval)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_preview()

    def settings(self) -> Settings:
        return Settings(import_template=self.template.text().strip() or DEFAULT_TEMPLATE,
                        import_mode=self.mode.currentData(), watch_folder=self.watch_folder.text().strip(),
                        watch_enabled=self.watch_enabled.isChecked() and bool(self.watch_folder.text().strip()),
                        watch_mode=self.watch_mode.currentData(),
                        watch_interval_seconds=self.watch_interval.value())

    def _update_preview(self) -> None:
        template = self.template.text().strip() or DEFAULT_TEMPLATE
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        try:
            self.preview.setText("\n".join(render(template, sample) for sample in SAMPLES))
            self.preview.setStyleSheet("")
            save.setEnabled(True)
        except BookDeskError as exc:
            self.preview.setText(exc.message)
            self.preview.setStyleSheet("color: #c82828;")
            save.setEnabled(False)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Watch folder", self.watch_folder.text())
        if folder:
            self.watch_folder.setText(folder)
            self.watch_enabled.setChecked(True)


def _mode_box(current: str) -> QComboBox:
    box = QComboBox()
    for mode, text in MODE_TEXT.items():
        box.addItem(text, mode)
    box.setCurrentIndex(list(MODE_TEXT).index(current) if current in MODE_TEXT else 0)
    return box
