"""Opening a library that cannot be used shows a dialog that says why, and touches nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookdesk.data.catalog import CATALOG_NAME
from bookdesk.ui import application
from bookdesk.ui.dialogs.error_dialog import ErrorDialog


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[ErrorDialog]:
    dialogs: list[ErrorDialog] = []

    def record(dialog: ErrorDialog) -> int:
        dialogs.append(dialog)
        return 0

    monkeypatch.setattr(ErrorDialog, "exec", record)
    return dialogs


def test_a_damaged_catalog_is_explained_and_left_as_it_was(qtbot, tmp_path: Path, shown) -> None:
    library = tmp_path / "Library"
    library.mkdir()
    junk = b"this was a catalog once" * 100
    (library / CATALOG_NAME).write_bytes(junk)
    assert application.run_gui(library) == 1
    assert len(shown) == 1
    assert "not a BookDesk catalog" in shown[0].message_label.text()
    assert (library / CATALOG_NAME).read_bytes() == junk


def test_a_library_path_that_is_a_file_is_explained(qtbot, tmp_path: Path, shown) -> None:
    not_a_folder = tmp_path / "books.txt"
    not_a_folder.write_text("hello")
    assert application.run_gui(not_a_folder / "Library") == 1
    assert "cannot create the library folder" in shown[0].message_label.text()
