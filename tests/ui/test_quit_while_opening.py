"""While the library opens into the window's frame (a big catalog's migration can take many seconds), File →
Quit is there and enabled, with the full window's Ctrl+Q, and it quits as closing the window does: the
frame goes at once, the open finishes on its thread and is closed, the library's lock let go. Once the
library is open, the File menu has its one Quit, as a window built at once has."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from bookdesk.core.library_service import LibraryService
from bookdesk.ui import application
from bookdesk.ui.main_window import MainWindow
from bookdesk.ui.window_frame import OPENING
from tests.data.old_catalogs import catalog_at


def quit_key() -> QKeySequence:
    """Ctrl+Q (Cmd+Q on macOS, which Qt names the same); made at run time: a key sequence wants the application."""
    return QKeySequence("Ctrl+Q")


def file_menu_actions(window: MainWindow) -> list[QAction]:
    file_menu = window.menuBar().actions()[0].menu()
    return [a for a in file_menu.actions() if not a.isSeparator()]


def quit_actions(window: MainWindow) -> list[QAction]:
    """Every action of the window's menus whose text is Quit, and every action of the window on Ctrl+Q."""
    in_menus = [a for menu_action in window.menuBar().actions() if menu_action.menu() is not None
                for a in menu_action.menu().actions() if a.text().replace("&", "") == "Quit"]
    on_key = [a for a in window.findChildren(QAction) if quit_key() in a.shortcuts()]
    return in_menus + [a for a in on_key if a not in in_menus]


def frame_for(qtbot, library: Path) -> MainWindow:  # noqa: ANN001 - pytest-qt fixture
    frame = MainWindow(folder=library, remember_geometry=False, show_tray=False)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    frame.activateWindow()  # offscreen has no window manager: the window is activated when asked
    qtbot.waitUntil(lambda: QApplication.activeWindow() is frame)
    return frame


def test_the_frame_has_file_quit_on_ctrl_q_and_nothing_else_enabled(qtbot, tmp_path: Path) -> None:
    frame = frame_for(qtbot, tmp_path / "Library")
    quits = quit_actions(frame)
    assert len(quits) == 1 and quits[0] in file_menu_actions(frame)
    assert quits[0].isEnabled() and quits[0].shortcut() == quit_key()
    waiting = [a for a in file_menu_actions(frame) if a is not quits[0]]
    assert [a.text() for a in waiting] == [OPENING] and not waiting[0].isEnabled()


def test_ctrl_q_while_an_old_catalog_is_upgraded_quits_and_lets_the_library_go(
        qtbot, tmp_path: Path, monkeypatch) -> None:
    library = tmp_path / "Old"
    catalog_at(library, "0006", [])
    frame = frame_for(qtbot, library)
    monkeypatch.setenv("BOOKDESK_SLOW_AT", "library.open:0.6")
    seen: list[tuple[bool, bool]] = []  # (attached, visible) at each tick while the library opens

    def tick() -> None:
        if not seen:  # the first tick: the person presses Ctrl+Q in the frame
            qtbot.keyClick(frame.switcher, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        seen.append((frame.attached, frame.isVisible()))

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    try:
        opened = application.open_library(library, window=frame, remember_geometry=False, show_tray=False)
    finally:
        timer.stop()
    assert opened is not None
    assert seen and seen[0] == (False, False)  # the frame went at the key, before the library was open
    assert not frame.isVisible()  # so the app closes what opened, as after the window's X
    opened.close()
    LibraryService.open(library).close()  # the lock was let go: the library opens again


def test_the_attached_window_has_one_quit_in_its_file_menu(qtbot, filled_service: LibraryService) -> None:
    folder = filled_service.folder
    filled_service.close()  # the window opens it itself
    frame = frame_for(qtbot, folder)
    opened = application.OpenLibrary(folder, remember_geometry=False, show_tray=False, window=frame)
    try:
        quits = quit_actions(frame)
        assert len(quits) == 1 and quits[0] in file_menu_actions(frame)
        assert quits[0].isEnabled() and quits[0].shortcut() == quit_key()
        assert OPENING not in [a.text() for a in file_menu_actions(frame)]
    finally:
        opened.close()
