"""The GUI thread's one asyncio loop: qasync's, which runs asyncio callbacks as Qt timer events.

The app runs it (``run_until_complete``), which makes it asyncio's running loop for as long as the
window is open. ``bookdesk smoke`` and the tests never run it: Qt's own event processing (a local
QEventLoop, ``qtbot.waitUntil``) fires its timers. Each callback is therefore run with the loop set
as the running one, which is what a coroutine's ``await`` needs, and only for that callback, so the
same thread can still call ``asyncio.run`` between Qt events (the tests' fixtures do).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication

_loop: asyncio.AbstractEventLoop | None = None


def gui_loop() -> asyncio.AbstractEventLoop:
    """The loop, made on first use (on the main thread, after the QApplication). qasync is imported
    here rather than at the top: ``smoke`` and the window's first paint need not wait for it."""
    global _loop
    if _loop is None or _loop.is_closed():
        import qasync

        class GuiLoop(qasync.QEventLoop):
            def call_later(self, delay: float, callback: Callable[..., Any], *args: Any,
                           context: Any = None) -> asyncio.TimerHandle:
                return super().call_later(delay, _as_running(self, callback), *args, context=context)

        app = QApplication.instance()
        if app is None:
            raise RuntimeError("the GUI loop needs the QApplication first")
        _loop = GuiLoop(app)
    return _loop


def close_gui_loop() -> None:
    """Close the loop while the QApplication it signals through still exists (``bookdesk smoke``, which
    never runs it; the app's ``with loop:`` closes it): left to the interpreter's exit, qasync's close
    finds its signal's source already deleted and prints a traceback."""
    global _loop
    if _loop is not None and not _loop.is_closed() and not _loop.is_running():
        _loop.close()
    _loop = None


def _as_running(loop: asyncio.AbstractEventLoop, callback: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        previous = asyncio._get_running_loop()
        if previous is loop:  # the app runs the loop: nothing to do
            return callback(*args)
        asyncio._set_running_loop(loop)
        try:
            return callback(*args)
        finally:
            asyncio._set_running_loop(previous)

    return run
