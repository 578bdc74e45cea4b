"""Errors reach a person as one dialog: the message, "Ref BD-…", details on demand, and Copy."""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QGuiApplication

from bookdesk import correlation
from bookdesk.core.logging_setup import setup_logging
from bookdesk.errors import BookDeskError
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter


def test_the_dialog_shows_the_message_the_ref_and_the_jobs_log_lines(qtbot, tmp_path) -> None:
    setup_logging(folder=tmp_path / "logs")
    cid = correlation.new_id()
    with correlation.bound(cid):
        logging.getLogger("bookdesk.test").warning("the provider answered 503")
    presenter = ErrorPresenter()
    presenter.report("Open Library is not answering.", cid, "Traceback: boom")
    qtbot.waitUntil(lambda: presenter.last_dialog is not None)
    dialog = presenter.last_dialog
    qtbot.addWidget(dialog)
    assert dialog.message_label.text() == "Open Library is not answering."
    assert dialog.ref_label.text() == f"Ref {cid}"
    assert not dialog.details.isVisible()
    dialog.details_button.click()
    assert dialog.details.isVisible()
    assert "the provider answered 503" in dialog.details.toPlainText()
    assert "Traceback: boom" in dialog.details.toPlainText()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "Open Library is not answering." in copied and f"Ref {cid}" in copied


def test_an_uncaught_exception_on_any_thread_reaches_the_presenter(qtbot, monkeypatch) -> None:
    presenter = ErrorPresenter()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    import threading

    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    presenter.install_hooks()
    try:
        raise BookDeskError("The catalog went away.", correlation_id="BD-ABCDE")
    except BookDeskError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: presenter.last_dialog is not None)
    assert presenter.last_dialog.ref_label.text() == "Ref BD-ABCDE"

    worker = threading.Thread(target=lambda: 1 / 0)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(presenter.dialogs) == 2)
    assert "division by zero" in presenter.last_dialog.message_label.text()
    assert "ZeroDivisionError" in presenter.last_dialog.details.toPlainText()
    for dialog in list(presenter.dialogs):
        dialog.close()
