"""The window's title names the library once, with the application's name once; the full path is in the
status bar, where there is room for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bookdesk import APP_NAME
from bookdesk.core.library_service import LibraryService


@pytest.fixture
def family_books(tmp_path: Path) -> Iterator[LibraryService]:
    opened = LibraryService.open(tmp_path / "Family Books")
    yield opened
    opened.close()


def test_the_title_names_the_library_once_and_the_status_bar_has_its_path(
        make_window, family_books: LibraryService) -> None:
    window = make_window(family_books)
    assert window.windowTitle() == f"Family Books — {APP_NAME}"
    assert str(family_books.folder) not in window.windowTitle()
    assert str(family_books.folder) in window.status_label.text()
    window.jobs.say("Import finished — 3 added")  # the line changes; where the library is stays at hand
    assert str(family_books.folder) in window.status_label.toolTip()
