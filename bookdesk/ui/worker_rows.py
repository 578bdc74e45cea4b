"""A view's rows read on the worker: the view says it is loading, and is handed the rows on the GUI
thread when they come.

Summaries of a whole library (every series, every author, every wanted book, every id in order)
take from a tenth of a second to seconds on 100,000 books; read on the GUI thread they froze the
window (bench/ui_stalls.py). The newest request wins: one still on its way when another is made is
dropped when it comes, so rows read before an edit never land over rows read after it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from bookdesk.core.worker import Worker
from bookdesk.ui import bridge

T = TypeVar("T")


class WorkerRows(QObject):
    """One view's reading of its rows; ``loading`` until the newest read has been shown."""

    loaded = Signal()  # the newest rows have been shown

    def __init__(self, worker: Worker, what: str, parent: QObject) -> None:
        super().__init__(parent)
        self.worker, self.what = worker, what
        self._asked = 0  # reads asked for, numbered
        self._answered = 0  # the number of the newest read that came back (shown or failed)

    @property
    def loading(self) -> bool:
        return self._answered != self._asked

    def load(self, read: Callable[..., T], show: Callable[[T], Any], *args: object) -> None:
        """``read(*args)`` on the worker, then ``show(rows)`` here, unless a newer read was asked for meanwhile."""
        self._asked += 1
        bridge.start(self._load(self._asked, read, show, args), what=self.what, owner=self)

    async def _load(self, number: int, read: Callable[..., T], show: Callable[[T], Any], args: tuple) -> None:
        try:
            rows = await self.worker.call(read, *args)
        finally:
            newest = number == self._asked
            if newest:
                self._answered = number
        if newest:
            show(rows)
            self.loaded.emit()
