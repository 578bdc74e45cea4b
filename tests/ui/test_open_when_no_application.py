"""On Linux the system opener (xdg-open) may start and then fail, as it does when no application opens
EPUB files; the status bar says so, instead of nothing (Qt's own opener says yes as soon as xdg-open
starts). An opener that succeeds says nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.ui.test_book_actions import first_file, select_rows

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xdg-open is Linux's opener")


def fake_opener(folder: Path, monkeypatch, exit_code: int) -> Path:  # noqa: ANN001 - pytest's monkeypatch
    """An xdg-open first on PATH that writes down what it was asked to open and exits with ``exit_code``."""
    folder.mkdir()
    asked = folder / "asked.txt"
    script = folder / "xdg-open"
    script.write_text(f'#!/bin/sh\necho "$1" >> "{asked}"\nexit {exit_code}\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return asked


def test_an_epub_no_application_opens_is_said_in_the_status_bar(qtbot, make_window, filled_service, tmp_path,
                                                                monkeypatch) -> None:
    asked = fake_opener(tmp_path / "bin", monkeypatch, exit_code=4)  # xdg-open's "the action failed"
    window = make_window(filled_service)
    (book,) = select_rows(window.library_view, 0)
    epub = first_file(filled_service, book)

    window.book_actions.open.trigger()

    qtbot.waitUntil(lambda: "No application opens EPUB files" in window.status_label.text())
    said = window.status_label.text()
    assert filled_service.detail(book).title in said and epub.name in said
    assert asked.read_text().splitlines() == [str(epub)]

