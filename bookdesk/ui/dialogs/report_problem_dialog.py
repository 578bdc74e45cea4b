"""Report a Problem: the reference of what went wrong, a preview of exactly what the report holds
(secrets masked), and Save Report… to write it to a text file the person can send."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookdesk import APP_NAME, PROJECT_URL
from bookdesk.core.problem_report import build_report, default_file_name, normalize_reference, write_report
from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings
from bookdesk.errors import UsageError
from bookdesk.ui.dialogs.about_dialog import Opener, open_folder, runtime_lines
from bookdesk.ui.theme import tone

# (parent, suggested path) -> the path to write, "" when cancelled; tests pass their own.
FileChooser = Callable[[QWidget, str], str]
PREVIEW_DELAY_MS = 300  # the preview is made again once typing pauses


def _choose_file(parent: QWidget, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "Save Problem Report", suggested, "Text files (*.txt)")
    return path


class ReportProblemDialog(QDialog):
    def __init__(self, settings: Settings | None, secrets: SecretStore | None = None,
                 parent: QWidget | None = None, *, reference: str | None = None,
                 choose_file: FileChooser | None = None, opener: Opener | None = None,
                 log_folder: Path | None = None, save_folder: Path | None = None) -> None:
        """``reference``: the correlation id to report (the last failed job's, say); ``save_folder``:
        where the file dialog starts (the home folder by default)."""
        super().__init__(parent)
        self.settings, self.secrets, self.log_folder = settings, secrets, log_folder
        self._choose = choose_file or _choose_file
        self.opener: Opener = opener or QDesktopServices.openUrl
        self.save_folder = save_folder or Path.home()
        self.saved_to: Path | None = None
        self.setWindowTitle("Report a Problem")
        self.setMinimumSize(720, 560)

        intro = QLabel(
            f"{APP_NAME} puts what helps find the problem into one text file for you to send "
            f'(to <a href="{PROJECT_URL}/issues">{PROJECT_URL}/issues</a>, say): the log lines of the job, '
            "the version, the platform and your settings. Passwords, tokens and keys are masked; your books "
            "and the catalog are not included. Below is exactly what the file will hold.")
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        intro.linkActivated.connect(lambda url: self.opener(QUrl(url)))
        self.reference = QLineEdit(reference or "")
        self.reference.setPlaceholderText("e.g. BD-7K3Q9; empty: the latest log lines")
        self.reference.setToolTip("The “Ref” an error message showed, or the reference of a job in the "
                                  "Activity view")
        self.reference.setMaxLength(16)
        reference_label = QLabel("&Reference:")
        reference_label.setBuddy(self.reference)
        form = QFormLayout()
        form.addRow(reference_label, self.reference)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_button = QPushButton("Show in Folder")
        self.show_button.setVisible(False)
        self.show_button.clicked.connect(lambda: open_folder(self.saved_to, self.opener) if self.saved_to else None)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.show_button)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("&Save Report…")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addLayout(status_row)
        layout.addWidget(self.buttons)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.reference.textEdited.connect(lambda _text: self._preview_timer.start())
        self.update_preview()

    def _reference(self) -> str | None:
        return normalize_reference(self.reference.text())

    def _report_options(self) -> dict:
        return {"settings": self.settings, "secrets": self.secrets, "extra_lines": runtime_lines(),
                "log_folder": self.log_folder}

    def update_preview(self) -> None:
        self._preview_timer.stop()
        try:
            reference = self._reference()
        except UsageError as exc:
            self._say(exc.message, ok=False)
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(True)
        if not self.saved_to:
            self._say("", ok=True)
        self.preview.setPlainText(build_report(reference, **self._report_options()))

    def save(self) -> Path | None:
        """Ask where, and write the report there; the path written, or None."""
        try:
            reference = self._reference()
        except UsageError as exc:
            self._say(exc.message, ok=False)
            return None
        chosen = self._choose(self, str(self.save_folder / default_file_name(reference)))
        if not chosen:
            return None
        dest = Path(chosen)
        if not dest.suffix:
            dest = dest.with_suffix(".txt")
        try:
            write_report(reference, dest, **self._report_options())
        except OSError as exc:
            self._say(f"The report could not be written to {dest}: {exc.strerror or exc}", ok=False)
            return None
        self.saved_to = dest
        self._say(f"Saved to {dest}. Attach this file to your message.", ok=True)
        self.show_button.setVisible(True)
        return dest

    def _say(self, text: str, *, ok: bool) -> None:
        self.status.setText(text)
        tone(self.status, None if ok else "problem")
