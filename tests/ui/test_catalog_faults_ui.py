"""The window over a catalog in trouble: an empty catalog file asks, a library that can only be read
opens with a banner and refuses changes plainly, damage found while reading shows the damaged-catalog
dialog once (with the way back), never blank rows and tracebacks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog import CATALOG_NAME
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.work_repository import WorkRepository
from bookdesk.ui import application
from bookdesk.ui.dialogs.error_dialog import ErrorDialog


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> tuple[list[ErrorDialog], list[str]]:
    """Dialogs shown with ``exec`` are recorded, and answered by pressing the next button in ``answers``."""
    dialogs: list[ErrorDialog] = []
    answers: list[str] = []

    def record(dialog: ErrorDialog) -> int:
        dialogs.append(dialog)
        if answers:
            dialog.choice_buttons[answers.pop(0)].click()
        return int(dialog.result())

    monkeypatch.setattr(ErrorDialog, "exec", record)
    return dialogs, answers


def _empty_library(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / CATALOG_NAME).write_bytes(b"")
    return folder


def test_an_empty_catalog_asks_and_can_start_a_new_catalog_there(qtbot, tmp_path, answered):
    dialogs, answers = answered
    library = _empty_library(tmp_path / "Library")
    answers.append("new")

    opened = application.open_library(library, remember_geometry=False, show_tray=False)
    try:
        assert opened is not None and opened.service.folder == library
        assert opened.service.count() == 0
    finally:
        opened.close()
    assert len(dialogs) == 1
    assert "is empty (0 bytes)" in dialogs[0].message_label.text()
    assert set(dialogs[0].choice_buttons) == {"new", "other"}
    assert (library / CATALOG_NAME).stat().st_size > 0


def test_an_empty_catalog_can_be_left_as_it_is_for_another_library(qtbot, tmp_path, answered, monkeypatch):
    _dialogs, answers = answered
    library = _empty_library(tmp_path / "Library")
    other = tmp_path / "Other"
    answers.append("other")
    monkeypatch.setattr(application, "choose_library_folder", lambda start: other)

    opened = application.open_library(library, remember_geometry=False, show_tray=False)
    try:
        assert opened is not None and opened.service.folder == other
    finally:
        opened.close()
    assert (library / CATALOG_NAME).read_bytes() == b""


def test_an_empty_catalog_left_unanswered_opens_nothing_and_keeps_the_file(qtbot, tmp_path, answered):
    library = _empty_library(tmp_path / "Library")
    assert application.run_gui(library) == 1
    assert (library / CATALOG_NAME).read_bytes() == b""


def _library_with(folder: Path, *titles: str) -> None:
    service = LibraryService.open(folder)
    try:
        with service.catalog.write() as session:
            for title in titles:
                WorkRepository(session).add(NewWork(title, [Contributor("A. Author")]))
    finally:
        service.close()


@pytest.mark.qt_no_exception_capture
def test_a_library_that_can_only_be_read_opens_with_a_banner_and_refuses_an_import_plainly(
        qtbot, tmp_path, make_window, immutable, make_book, capfd):
    library = tmp_path / "Library"
    _library_with(library, "Kept Safe")
    immutable(library / CATALOG_NAME)
    service = LibraryService.open(library)
    try:
        window = make_window(service)
        window.presenter.install_hooks()
        assert window.read_only_banner.isVisible()
        assert "can only be read" in window.read_only_banner.text()
        assert window.library_view.model.rowCount() == 1

        QTimer.singleShot(0, lambda: window.start_import([make_book("Not Now")]))  # as a drop would
        qtbot.waitUntil(lambda: window.presenter.last_dialog is not None)
        assert window.presenter.last_dialog.message.startswith(f"The library at {library} can only be read")
    finally:
        service.close()
    assert "Traceback" not in capfd.readouterr().err


def test_damage_found_while_the_window_reads_shows_the_damaged_catalog_dialog_once(
        qtbot, tmp_path, make_window, capfd):
    library = tmp_path / "Library"
    _library_with(library, "Alpha", "Beta", "Gamma")
    backup = library / f"{CATALOG_NAME}.bak-0006-20260101T000000"
    backup.write_bytes((library / CATALOG_NAME).read_bytes())
    service = LibraryService.open(library)
    try:
        window = make_window(service)
        with sqlite3.connect(library / CATALOG_NAME) as raw:
            raw.execute("UPDATE works SET title = CAST(x'426574ff61' AS TEXT) WHERE title = 'Beta'")
        model = window.library_view.model
        model.reload()
        for row in range(model.rowCount()):
            model.row_at(row)
        window.refresh_views()

        qtbot.waitUntil(lambda: window.presenter.last_dialog is not None)
        dialog = window.presenter.last_dialog
        assert dialog.message.startswith(f"The catalog {library / CATALOG_NAME} is damaged")
        assert f"The newest good copy is {backup}" in dialog.message
        assert window.read_only_banner.isVisible() and "is damaged" in window.read_only_banner.text()
        QCoreApplication.processEvents()  # any further report, queued by now, would be shown
        assert len(window.presenter.dialogs) == 1
        with pytest.raises(Exception, match="damaged"), service.catalog.write() as session:
            WorkRepository(session).add(NewWork("Never Written", [Contributor("B. Author")]))
    finally:
        service.close()
    assert "Traceback" not in capfd.readouterr().err


def test_a_disk_that_drops_out_while_the_window_reads_leaves_the_rows_to_come_back(
        qtbot, tmp_path, make_window, monkeypatch):
    """A network drive or USB disk away for a moment is no damage: no dialog about restoring, no
    emptied view; the rows read it could not read are read again when asked again."""
    from bookdesk.errors import CatalogIOError

    library = tmp_path / "Library"
    _library_with(library, "Alpha", "Beta", "Gamma")
    service = LibraryService.open(library)
    try:
        window = make_window(service)
        model = window.library_view.model
        model.reload()
        real_rows = service.rows
        away = [True]

        def rows(ids):  # noqa: ANN001, ANN202 - as LibraryService.rows
            if away[0]:
                raise CatalogIOError("The disk holding the library could not be read or written just now.")
            return real_rows(ids)

        monkeypatch.setattr(service, "rows", rows)
        for row in range(3):
            model.refresh_row(row)  # read again, now that the disk is away
        assert model.rowCount() == 3
        assert all("read" in model.row_at(row).title for row in range(3))  # said, not raised
        away[0] = False
        assert sorted(model.row_at(row).title for row in range(3)) == ["Alpha", "Beta", "Gamma"]
        assert window.presenter.last_dialog is None and not service.catalog.read_only
    finally:
        service.close()
