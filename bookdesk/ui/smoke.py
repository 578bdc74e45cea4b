"""``bookdesk smoke``: open the main window, wait until the chosen view has painted, maybe save a PNG.

Used by tests, by the packaging check and by people who want to see the app without a
display; without a display it runs offscreen.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStackedWidget, QWidget

from bookdesk.errors import BookDeskError

PAINT_TIMEOUT_S = 30.0


class _PaintWatcher(QObject):
    """Ends ``loop`` once the watched widget has painted."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.painted = False
        self._loop = loop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self._loop.quit)  # let the paint finish first
        return False


def painted_widget(view: QWidget) -> QWidget:
    """The widget whose first paint means the view shows its rows (or its empty state)."""
    stack = view.findChild(QStackedWidget)
    target = stack.currentWidget() if stack is not None else view.findChild(QAbstractItemView)
    if isinstance(target, QAbstractItemView):
        return target.viewport()
    return target or view


def run_smoke(library: Path, view: str = "library", screenshot: Path | None = None, tray: bool = False, *,
              theme: str | None = None, check: bool = False) -> int:
    """``theme`` ("light", "dark"): switched to once the view has painted, as the Appearance settings
    switch it in a running window (without it, the saved choice holds). ``check``: print what
    ``look_check`` finds in the window (text contrast, clipped headers) and fail when it finds any."""
    started = time.perf_counter()
    if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from bookdesk.ui.application import OpenLibrary, create_app
    from bookdesk.ui.gui_loop import close_gui_loop, gui_loop

    app = create_app()
    gui_loop()  # the window's flows start their tasks on it; the paint wait below runs its timers
    try:
        # A check must not move the user's window; the tray icon only when asked for.
        opened = OpenLibrary(library, remember_geometry=False, show_tray=tray)
    except BookDeskError as exc:
        print(f"bookdesk smoke: {exc.message}", file=sys.stderr)
        close_gui_loop()
        return 1
    try:
        window = opened.window
        window.show_view(view)
        loop = QEventLoop()
        watcher = _PaintWatcher(loop)
        target = painted_widget(window.views[view])
        target.installEventFilter(watcher)
        QTimer.singleShot(int(PAINT_TIMEOUT_S * 1000), loop.quit)
        window.show()
        if not watcher.painted:
            loop.exec()
        if not watcher.painted:
            print(f"bookdesk smoke: the {view} view did not paint within {PAINT_TIMEOUT_S:.0f} s", file=sys.stderr)
            return 1
        if theme is not None:
            from bookdesk.ui.settings.theme_choice import apply_theme_choice

            apply_theme_choice(app, theme)
        _wait_for_rows(window.views[view])
        _settle()
        if screenshot is not None and not window.grab().save(str(screenshot)):
            print(f"bookdesk smoke: cannot save the screenshot to {screenshot}", file=sys.stderr)
            return 1
        model = getattr(window.views[view], "model", None)
        rows = model.rowCount() if model is not None else 0
        print(f"smoke: {view} view painted with {rows} rows in {time.perf_counter() - started:.2f} s")
        if check and not _checked(window, view, theme or "saved"):
            return 1
        if tray:
            from bookdesk.ui.tray import Tray

            print(f"smoke: tray available: {'yes' if Tray.available() else 'no'}; "
                  f"icon visible: {'yes' if window.tray_flow.in_tray else 'no'}")
        return 0
    finally:
        opened.close()
        QApplication.processEvents()
        close_gui_loop()


def _wait_for_rows(view: QWidget) -> None:
    """Until the view has the rows the worker reads for it (the Library, Series, Authors and Wanted views)."""
    if not getattr(view, "loading", False):
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: None if getattr(view, "loading", False) else loop.quit())
    poll.start(10)
    QTimer.singleShot(int(PAINT_TIMEOUT_S * 1000), loop.quit)
    loop.exec()
    poll.stop()


def _settle() -> None:
    """Let what the rows set off (columns fitted to them, a theme's repaint) happen before the picture."""
    loop = QEventLoop()
    QTimer.singleShot(200, loop.quit)
    loop.exec()


def _checked(window: QWidget, view: str, theme: str) -> bool:
    from bookdesk.ui.look_check import check_window

    findings = check_window(window)
    for finding in findings:
        print(f"look: {view} ({theme}): {finding}")
    print(f"look: {view} ({theme}): {len(findings)} finding(s)")
    return not findings
