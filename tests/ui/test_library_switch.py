"""Switching library from the window (File → Open Library…, File → Recent Libraries): the old library's
window, scheduler, worker and lock go, the new one opens in the same process and listens for later
launches under its own name; the libraries opened are remembered, missing ones shown greyed; a folder
that is no library yet is made one only when the person says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from bookdesk.core.library_service import LibraryService
from bookdesk.core.settings import load_settings, save_settings
from bookdesk.data.catalog import CATALOG_NAME
from bookdesk.errors import LibraryLockedError
from bookdesk.ui.application import open_library
from bookdesk.ui.library_session import LibrarySession
from bookdesk.ui.single_instance import instance_running


def make_library(folder: Path) -> Path:
    LibraryService.open(folder).close()
    return folder


@pytest.fixture
def session(qtbot, tmp_path: Path) -> Iterator[LibrarySession]:  # noqa: ANN001 - pytest-qt fixture
    opened = open_library(make_library(tmp_path / "First"), remember_geometry=False, show_tray=False)
    made = LibrarySession(QApplication.instance(), opened)
    made.window.show()
    qtbot.waitExposed(made.window)
    yield made
    made.close()


def choose(session: LibrarySession, folder: Path) -> None:
    """File → Open Library…, with ``folder`` chosen in the folder dialog."""
    session.window.library_actions.choose_folder = lambda *_args: str(folder)
    session.window.library_actions.open_action.trigger()


def test_open_library_switches_the_window_and_lets_go_of_the_old_library(qtbot, session, tmp_path: Path) -> None:
    first_window, first_worker = session.window, session.window.worker
    second = make_library(tmp_path / "Second")
    assert instance_running(tmp_path / "First")
    choose(session, second)
    qtbot.waitUntil(lambda: session.window is not first_window, timeout=20_000)

    assert session.window.windowTitle().startswith("Second")
    assert session.window.isVisible() and not first_window.isVisible()
    assert not first_worker.running
    with pytest.raises(LibraryLockedError):  # held now by this BookDesk
        LibraryService.open(second)
    LibraryService.open(tmp_path / "First").close()  # let go of
    assert instance_running(second) and not instance_running(tmp_path / "First")
    settings = load_settings()
    assert settings.recent_libraries[:2] == [str(second), str(tmp_path / "First")]
    assert settings.library_folder == str(second)  # opened at the next start too


def test_a_folder_that_is_no_library_is_made_one_only_when_asked(qtbot, session, tmp_path: Path,
                                                                  monkeypatch) -> None:
    papers = tmp_path / "Papers"
    papers.mkdir()
    (papers / "notes.txt").write_text("not a book")
    asked: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def answer(_parent, _title, text, *_a, **_k):  # noqa: ANN001, ANN202 - QMessageBox.question's
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", answer)
    first_window = session.window
    choose(session, papers)
    assert "not a BookDesk library" in asked[0] and str(papers) in asked[0]
    assert session.window is first_window and not (papers / CATALOG_NAME).exists()

    choose(session, papers)
    qtbot.waitUntil(lambda: session.window is not first_window, timeout=20_000)
    assert (papers / CATALOG_NAME).exists()
    assert (papers / "notes.txt").exists()


def test_recent_libraries_lists_them_newest_first_with_missing_ones_greyed(qtbot, session,
                                                                            tmp_path: Path) -> None:
    second = make_library(tmp_path / "Second")
    gone = tmp_path / "Unplugged Disk" / "Books"
    settings = load_settings()
    settings.recent_libraries = [str(tmp_path / "First"), str(second), str(gone)]
    save_settings(settings)
    menu = session.window.library_actions.recent_menu
    menu.aboutToShow.emit()
    actions = {a.text(): a for a in menu.actions() if not a.isSeparator()}
    current = next(a for a in actions.values() if "First" in a.text())
    assert current.isChecked() and not current.isEnabled()  # the one open now
    missing = next(a for a in actions.values() if "Unplugged" in a.text() or "Books" in a.text())
    assert not missing.isEnabled() and "not found" in missing.text()
    first_window = session.window
    next(a for a in actions.values() if "Second" in a.text()).trigger()
    qtbot.waitUntil(lambda: session.window is not first_window, timeout=20_000)
    assert session.window.service.folder == second
