"""While the library opens into the window's frame (imports, the catalog's backup and migration, the core
services), the GUI thread keeps turning: the frame can be moved, resized and repainted, and a click on one
of its disabled actions does nothing, neither then nor once the library is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolButton

from bookdesk.data.catalog import CATALOG_NAME, MIGRATION_BACKUP_INFIX
from bookdesk.ui import application
from bookdesk.ui.library_opening import UPGRADING
from bookdesk.ui.main_window import MainWindow
from tests.data.old_catalogs import catalog_at


class Meanwhile:
    """A QTimer that ticks while the library opens, clicking the frame's toolbar buttons and noting the
    status bar's words each time."""

    def __init__(self, frame: MainWindow) -> None:
        self.frame, self.ticks, self.said = frame, 0, set()
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        self.ticks += 1
        self.said.add(self.frame.statusBar().currentMessage())
        if not self.frame.attached:
            for button in self.frame.toolbar.findChildren(QToolButton):
                if button.isVisible():
                    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            self.frame.resize(self.frame.width() + 1, self.frame.height())


def open_slowly(qtbot, library: Path, monkeypatch, seconds: float = 0.6):  # noqa: ANN001, ANN201 - fixtures
    frame = MainWindow(folder=library, remember_geometry=False, show_tray=False)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    monkeypatch.setenv("BOOKDESK_SLOW_AT", f"library.open:{seconds}")
    meanwhile = Meanwhile(frame)
    meanwhile.timer.start()
    try:
        opened = application.open_library(library, window=frame, remember_geometry=False, show_tray=False)
    finally:
        meanwhile.timer.stop()  # no click may reach the real actions now in the frame's places
    return frame, opened, meanwhile


def test_the_frame_keeps_turning_while_the_library_opens_and_its_clicks_do_nothing(qtbot, tmp_path, monkeypatch):
    frame, opened, meanwhile = open_slowly(qtbot, tmp_path / "Library", monkeypatch)
    try:
        assert opened is not None and opened.window is frame and frame.attached
        assert meanwhile.ticks >= 5  # the event loop turned through the slow open
        fired: list[str] = []
        for action in (frame.import_files_action, frame.settings_action, frame.sync_action, frame.book_actions.remove):
            name = action.text()
            action.triggered.connect(lambda *_a, name=name: fired.append(name))
        qtbot.wait(100)  # whatever a click left queued would play back now
        assert fired == []
    finally:
        opened.close()


def test_an_upgrade_of_an_old_catalog_is_told_in_the_status_bar_while_the_window_stays_alive(qtbot, tmp_path,
                                                                                              monkeypatch):
    library = tmp_path / "Old"
    catalog_at(library, "0006", [])
    frame, opened, meanwhile = open_slowly(qtbot, library, monkeypatch)
    try:
        assert opened is not None and frame.attached
        assert meanwhile.ticks >= 5
        assert UPGRADING in meanwhile.said
        assert list(library.glob(f"{CATALOG_NAME}{MIGRATION_BACKUP_INFIX}*"))  # the backup kept
        assert frame.statusBar().currentMessage() != UPGRADING  # said while it ran, not after
    finally:
        opened.close()
