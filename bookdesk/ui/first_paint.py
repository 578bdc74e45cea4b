"""Waiting until a widget has painted: the window's frame before the library is opened (application.py),
and a view with its rows for ``bookdesk smoke``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QWidget


class PaintWatcher(QObject):
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


def wait_for_paint(widget: QWidget, timeout_s: float, *, show: QWidget | None = None) -> bool:
    """Run the event loop until ``widget`` has painted (True) or ``timeout_s`` has passed (False).
    ``show``: a window to show once the watch is in place, so its first paint is not missed."""
    loop = QEventLoop()
    watcher = PaintWatcher(loop)
    widget.installEventFilter(watcher)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout_s * 1000))
    if show is not None:
        show.show()
    else:
        widget.update()
    if not watcher.painted:
        loop.exec()
    timer.stop()
    widget.removeEventFilter(watcher)
    return watcher.painted
