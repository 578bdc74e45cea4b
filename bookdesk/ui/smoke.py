"""``bookdesk smoke``: open the main window, wait until the chosen view has painted, maybe save a PNG.

Used by tests, by the packaging check and by people who want to see the app without a
display; without a display it runs offscreen.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStackedWidget, QWidget

from bookdesk.errors import BookDeskError
from bookdesk.ui.first_paint import wait_for_paint

PAINT_TIMEOUT_S = 30.0


def painted_widget(view: QWidget) -> QWidget:
    """The widget whose first paint means the view shows its rows (or its empty state)."""
    stack = view.findChild(QStackedWidget)
    target = stack.currentWidget() if stack is not None else view.findChild(QAbstractItemView)
    if isinstance(target, QAbstractItemView):
        return target.viewport()
    return target or view


def run_smoke(library: Path, view: str = "library", screenshot: Path | None = None, tray: bool = False, *,
              theme: str | None = None, check: bool = False, stamps: bool = False) -> int:
    """``theme`` ("light", "dark"): switched to once the view has painted, as the Appearance settings
    switch it in a running window (without it, the saved choice holds). ``check``: print what
    ``look_check`` finds in the window (text contrast, clipped headers) and fail when it finds any.
    ``stamps``: print the monotonic clock at the frame's first paint and once the view shows its rows."""
    started = time.perf_counter()
    if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from bookdesk.ui.application import OpenLibrary, create_app
    from bookdesk.ui.gui_loop import close_gui_loop, gui_loop
    from bookdesk.ui.main_window import MainWindow

    app = create_app()
    gui_loop()  # the window's flows start their tasks on it; the paint wait below runs its timers
    # As a start does: the window's frame painted first, the library opened into it after.
    # A check must not move the user's window; the tray icon only when asked for.
    frame = MainWindow(folder=library, remember_geometry=False, show_tray=tray)
    frame.show_view(view)
    if not wait_for_paint(frame.switcher.stack.currentWidget(), PAINT_TIMEOUT_S, show=frame):
        print(f"bookdesk smoke: the window did not paint within {PAINT_TIMEOUT_S:.0f} s", file=sys.stderr)
        return 1
    frame_painted = time.perf_counter() - started
    if stamps:
        print(f"smoke: frame painted at monotonic {time.monotonic():.6f}", flush=True)
    try:
        opened = OpenLibrary(library, remember_geometry=False, show_tray=tray, window=frame)
    except BookDeskError as exc:
        print(f"bookdesk smoke: {exc.message}", file=sys.stderr)
        frame.close()
        close_gui_loop()
        return 1
    try:
        window = opened.window
        if not wait_for_paint(painted_widget(window.views[view]), PAINT_TIMEOUT_S):
            print(f"bookdesk smoke: the {view} view did not paint within {PAINT_TIMEOUT_S:.0f} s", file=sys.stderr)
            return 1
        if theme is not None:
            from bookdesk.ui.settings.theme_choice import apply_theme_choice

            apply_theme_choice(app, theme)
        _wait_for_rows(window.views[view])
        if stamps:  # the rows (or the empty state) painted, not only read
            wait_for_paint(painted_widget(window.views[view]), PAINT_TIMEOUT_S)
            print(f"smoke: rows painted at monotonic {time.monotonic():.6f}", flush=True)
        _settle()
        if screenshot is not None and not window.grab().save(str(screenshot)):
            print(f"bookdesk smoke: cannot save the screenshot to {screenshot}", file=sys.stderr)
            return 1
        model = getattr(window.views[view], "model", None)
        rows = model.rowCount() if model is not None else 0
        print(f"smoke: window painted in {frame_painted:.2f} s; {view} view painted with {rows} rows in "
              f"{time.perf_counter() - started:.2f} s")
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
