"""The window paints first, the library opens into it after (issue 16): the frame is the real window with its
menus, toolbar and sidebar, nothing in it acts on a library until the services are up, and then the same
window works as a window built at once does."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel
from sqlalchemy import create_engine, text

from bookdesk.core.library_service import LibraryService
from bookdesk.data import catalog as catalog_module
from bookdesk.data.catalog import CATALOG_NAME
from bookdesk.ui.application import OpenLibrary
from bookdesk.ui.first_paint import wait_for_paint
from bookdesk.ui.main_window import MainWindow
from bookdesk.ui.window_frame import OPENING

HEAVY = ("sqlalchemy", "alembic", "bookdesk.data.models", "bookdesk.core.library_service",
         "bookdesk.core.library_services", "bookdesk.ui.views.library_view")


def frame_actions(window: MainWindow) -> list[QAction]:
    """Every action the menus and the toolbar show, separators aside."""
    actions = [a for menu_action in window.menuBar().actions() if menu_action.menu() is not None
               for a in menu_action.menu().actions() if not a.isSeparator()]
    return actions + [a for a in window.toolbar.actions() if not a.isSeparator()]


def shown_texts(window: MainWindow) -> set[str]:
    return {label.text() for label in window.findChildren(QLabel) if label.isVisible()}


def test_the_window_paints_before_sqlalchemy_the_catalog_and_the_services_are_imported(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from bookdesk.ui.application import OpenLibrary, create_app
        from bookdesk.ui.first_paint import wait_for_paint
        from bookdesk.ui.gui_loop import gui_loop
        from bookdesk.ui.main_window import MainWindow

        app = create_app()
        gui_loop()
        library = Path({str(tmp_path / "Library")!r})
        frame = MainWindow(folder=library, remember_geometry=False, show_tray=False)
        print("painted", wait_for_paint(frame.switcher, 30, show=frame))
        print("loaded before", sorted(n for n in {HEAVY!r} if n in sys.modules))
        opened = OpenLibrary(library, remember_geometry=False, show_tray=False, window=frame)
        print("same window", opened.window is frame, "attached", frame.attached)
        print("loaded after", sorted(n for n in {HEAVY!r} if n in sys.modules))
        opened.close()
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOOKDESK_CONFIG_DIR=str(tmp_path / "config"),
               BOOKDESK_LOG_DIR=str(tmp_path / "logs"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "painted True" in lines
    assert "loaded before []" in lines
    assert "same window True attached True" in lines
    assert f"loaded after {sorted(HEAVY)}" in lines  # the same names: the check above looked for the right ones


def test_the_frame_shows_the_window_with_nothing_enabled_until_the_library_is_open(
        qtbot, filled_service: LibraryService) -> None:
    books, folder = filled_service.count(), filled_service.folder
    filled_service.close()  # the window opens it itself
    frame = MainWindow(folder=folder, remember_geometry=False, show_tray=False)
    qtbot.addWidget(frame)
    assert wait_for_paint(frame.switcher, 30, show=frame)
    titles = [a.text() for a in frame.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Book", "&Tools", "&View", "&Help"]
    assert [a.iconText() for a in frame.toolbar.actions() if not a.isSeparator()] == [
        "Import", "Edit", "Identify", "Remove", "Sync Now", "Settings"]
    acting = [a for a in frame_actions(frame) if a is not frame.quit_action]  # Quit works (test_quit_while_opening)
    assert acting and not any(a.isEnabled() for a in acting)
    assert OPENING in shown_texts(frame)
    frame.show_view("series")  # the sidebar works meanwhile
    assert frame.current_view() == "series"
    frame.show_view("library")
    assert frame.windowTitle().startswith(folder.name)

    opened = OpenLibrary(folder, remember_geometry=False, show_tray=False, window=frame)
    try:
        assert opened.window is frame and frame.attached
        view = frame.library_view
        assert view.stack.currentWidget() is view.opening_state  # until the worker's rows are here
        qtbot.waitUntil(lambda: not view.loading, timeout=20000)
        assert view.stack.currentWidget() is view.table
        assert view.model.rowCount() == books
        assert OPENING not in shown_texts(frame)
        assert frame.import_files_action.isEnabled() and frame.sync_action.isEnabled()
        assert frame.settings_action.isEnabled()
        assert frame.toolbar.actions()[0] is frame.import_files_action  # the frame's toolbar, the real actions
        assert frame.book_actions.edit.isEnabled()  # the first book is selected, as a window built at once has it
        assert [a.text() for a in frame.menuBar().actions()] == titles
        assert frame.switcher.stack.count() == len(frame.views)  # the views took the places of the frame's pages
        frame.show_view("series")
        assert frame.switcher.stack.currentWidget() is frame.series_view
    finally:
        opened.close()


def _library_at_schema_0001(folder: Path) -> None:
    """A catalog as BookDesk wrote it at schema 0001, with one book in it."""
    folder.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{folder / CATALOG_NAME}")
    config = Config()
    config.set_main_option("script_location", str(catalog_module._MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text(
            "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
            "authors_display, author_key, series_display, series_key, formats) VALUES (1, 'Survives The Upgrade', "
            "'Survives The Upgrade', 'owned', '', '2026-01-01', '2026-01-01', 'survives the upgrade', '', '', "
            "'', '', '')"))
        conn.execute(text("INSERT INTO work_fts (rowid, title) VALUES (1, 'survives the upgrade')"))
    engine.dispose()


def test_a_library_behind_the_schema_is_backed_up_before_it_is_migrated_into_the_painted_window(
        qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "Old"
    _library_at_schema_0001(folder)
    frame = MainWindow(folder=folder, remember_geometry=False, show_tray=False)
    qtbot.addWidget(frame)
    assert wait_for_paint(frame.switcher, 30, show=frame)
    assert not list(folder.glob(f"{CATALOG_NAME}.bak-*"))  # the frame opened nothing
    opened = OpenLibrary(folder, remember_geometry=False, show_tray=False, window=frame)
    try:
        assert len(list(folder.glob(f"{CATALOG_NAME}.bak-0001-*"))) == 1
        qtbot.waitUntil(lambda: not frame.library_view.loading, timeout=20000)
        model = frame.library_view.model
        assert [model.row_at(0).title] == ["Survives The Upgrade"] and model.rowCount() == 1
    finally:
        opened.close()


@pytest.mark.qt_no_exception_capture  # the bridge tells the failure (in the app: a dialog with its Ref)
def test_a_first_read_of_the_library_that_fails_does_not_leave_it_saying_it_opens(
        qtbot, make_window, service: LibraryService, monkeypatch) -> None:
    from bookdesk.errors import CatalogIOError

    def away(*_args: object) -> list[int]:
        raise CatalogIOError("The disk holding the library could not be read or written just now.")

    monkeypatch.setattr(service, "work_ids", away)
    window = make_window(service)  # once the read came back, failed
    view = window.library_view
    assert view.stack.currentWidget() is view.table  # as before the frame: the table, empty, the failure told
    assert OPENING not in shown_texts(window)
