"""The one way BookDesk shows an error: message, reference id, details on demand, Copy.

``ErrorPresenter`` is fed by failed jobs, by ``sys.excepthook`` and by
``threading.excepthook``; the last two may fire on any thread, so they go through a
queued signal before any widget is touched.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core import logging_setup
from bookdesk.errors import BookDeskError
from bookdesk.redaction import redact_text
from bookdesk.ui.bridge import to_gui

log = logging.getLogger(__name__)


class ErrorDialog(QDialog):
    def __init__(self, message: str, correlation_id: str | None, detail: str, parent: QWidget | None = None,
                 title: str = "BookDesk", choices: Sequence[tuple[str, str]] = ()) -> None:
        """``choices``: (key, button text) of ways on that the person may pick; the picked key is
        ``choice`` once the dialog is accepted (None when it is closed)."""
        super().__init__(parent)
        message, detail = redact_text(message), redact_text(detail)  # what a person sees and copies
        self.choice: str | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.message, self.correlation_id, self.detail = message, correlation_id, detail

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ref_label = QLabel(f"Ref {correlation_id}" if correlation_id else "")
        self.ref_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ref_label.setStyleSheet("color: palette(placeholder-text);")

        text = QVBoxLayout()
        text.addWidget(self.message_label)
        text.addWidget(self.ref_label)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)

        self.details = QPlainTextEdit(detail)
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(220)
        self.details.setVisible(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.details_button = QPushButton("Show Details")
        self.details_button.setCheckable(True)
        self.details_button.setEnabled(bool(detail))
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton("Copy")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.choice_buttons: dict[str, QPushButton] = {}
        for key, text_ in choices:
            button = QPushButton(text_)
            button.clicked.connect(lambda _checked=False, k=key: self._choose(k))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.choice_buttons[key] = button

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def _choose(self, key: str) -> None:
        self.choice = key
        self.accept()

    def report_text(self) -> str:
        ref = f"Ref {self.correlation_id}\n" if self.correlation_id else ""
        return f"{self.message}\n{ref}\n{self.detail}".strip() + "\n"

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText("Hide Details" if shown else "Show Details")
        self.adjustSize()


class ErrorPresenter(QObject):
    """Shows errors as dialogs over ``parent``; safe to call from any thread through ``report``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self.dialogs: list[ErrorDialog] = []
        self._post = to_gui(self, self._show)

    def report(self, message: str, correlation_id: str | None = None, traceback_text: str = "") -> None:
        """Thread-safe: queue an error to be shown on the main thread."""
        self._post(message, correlation_id or "", traceback_text)

    def report_exception(self, exc: BaseException) -> None:
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        if isinstance(exc, BookDeskError):
            self.report(exc.message, exc.correlation_id, (exc.detail or "") + ("\n" + tb if tb else ""))
        else:
            # A worker's failure carries the Ref its submission gave it (bookdesk.core.submission).
            self.report(f"Something went wrong: {exc}", getattr(exc, "correlation_id", None), tb)

    @property
    def last_dialog(self) -> ErrorDialog | None:
        return self.dialogs[-1] if self.dialogs else None

    def _show(self, message: str, correlation_id: str, traceback_text: str) -> None:
        detail_parts = [traceback_text.strip()] if traceback_text.strip() else []
        if correlation_id:
            lines = logging_setup.format_lines(logging_setup.lines_for(correlation_id))
            if lines:
                detail_parts.append("Log of this job:\n" + lines)
        dialog = ErrorDialog(message, correlation_id or None, "\n\n".join(detail_parts), self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result, d=dialog: self.dialogs.remove(d) if d in self.dialogs else None)
        self.dialogs.append(dialog)
        dialog.open()  # window-modal, never blocks the event loop

    def install_hooks(self) -> None:
        """Route uncaught exceptions, on any thread, to this presenter (and still to stderr)."""
        previous = sys.excepthook

        def on_exception(exc_type, exc, tb) -> None:  # noqa: ANN001 - excepthook signature
            if issubclass(exc_type, KeyboardInterrupt):
                previous(exc_type, exc, tb)
                return
            _trace(exc_type, exc, tb)
            self.report_exception(exc.with_traceback(tb))

        def on_thread_exception(args: threading.ExceptHookArgs) -> None:
            if args.exc_value is not None:
                _trace(args.exc_type, args.exc_value, args.exc_traceback)
                self.report_exception(args.exc_value)

        sys.excepthook = on_exception
        threading.excepthook = on_thread_exception


def _trace(exc_type, exc, tb) -> None:  # noqa: ANN001 - excepthook signature
    """A bug's traceback goes to stderr; an error meant for a person (a read-only library refusing a
    change, a damaged catalog) only to the log: the dialog says it, and a traceback would alarm."""
    if isinstance(exc, BookDeskError):
        log.info("shown to the person: %s", exc.message, exc_info=(exc_type, exc, tb))
    else:
        print(redact_text("".join(traceback.format_exception(exc_type, exc, tb))), file=sys.stderr, end="")
