"""The error dialog shows, copies and prints no credential, whatever the exception carried."""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication

from bookdesk.redaction import remember
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter


def test_an_exception_quoting_a_login_or_a_known_token_is_shown_masked(qtbot, monkeypatch, capsys) -> None:
    remember("tok-dialog-4242")
    presenter = ErrorPresenter()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    presenter.install_hooks()
    try:
        raise RuntimeError("GET http://ann:pw-dialog-1@shelf.example/opds?apikey=DLGKEY1 said tok-dialog-4242")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: presenter.last_dialog is not None)
    dialog = presenter.last_dialog
    qtbot.addWidget(dialog)
    dialog.copy_button.click()

    seen = " ".join([dialog.message_label.text(), dialog.details.toPlainText(), QGuiApplication.clipboard().text(),
                     capsys.readouterr().err])
    assert "shelf.example" in seen
    for secret in ("pw-dialog-1", "DLGKEY1", "tok-dialog-4242"):
        assert secret not in seen
