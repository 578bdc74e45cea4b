"""Open and Show in Folder say so when nothing opens: a book's file moved away outside BookDesk, or the
system refusing to open it. The status bar names the book and the file; the books that could be opened
still are."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from tests.ui.test_book_actions import first_file, select_rows

REFUSED: set[Path] = set()  # what the system below refuses to open


@pytest.fixture
def asked(monkeypatch) -> list[Path]:  # noqa: ANN001
    """What the system was asked to open; it opens nothing, and refuses what REFUSED holds."""
    urls: list[Path] = []
    REFUSED.clear()

    def record(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return Path(url.toLocalFile()) not in REFUSED

    monkeypatch.setattr(QDesktopServices, "openUrl", record)
    monkeypatch.setattr("bookdesk.ui.book_files.select_in_file_manager", lambda path: False)
    monkeypatch.setattr("bookdesk.ui.book_files.system_opener", lambda: None)  # Qt's opener, recorded above
    return urls


@pytest.mark.parametrize("action", ["open", "show_folder"])
def test_a_book_whose_file_was_moved_away_is_named_with_its_file(qtbot, make_window, filled_service, asked,
                                                                 action) -> None:
    window = make_window(filled_service)
    gone, there = select_rows(window.library_view, 0, 1)
    moved = first_file(filled_service, gone)
    moved.rename(moved.with_name("elsewhere.bin"))
    getattr(window.book_actions, action).trigger()
    title = filled_service.detail(gone).title
    qtbot.waitUntil(lambda: moved.name in window.status_label.text())
    said = window.status_label.text()
    assert title in said and "not found" in said
    assert moved not in asked and moved.parent not in asked  # nothing opened for it ...
    assert first_file(filled_service, there) in asked or first_file(filled_service, there).parent in asked


def test_the_system_refusing_to_open_a_file_is_said(qtbot, make_window, filled_service, asked) -> None:
    window = make_window(filled_service)
    (book,) = select_rows(window.library_view, 0)
    refused = first_file(filled_service, book)
    REFUSED.add(refused)
    window.book_actions.open.trigger()
    qtbot.waitUntil(lambda: refused in asked)
    qtbot.waitUntil(lambda: "could not open" in window.status_label.text())
    assert filled_service.detail(book).title in window.status_label.text()
    assert refused.name in window.status_label.text()
