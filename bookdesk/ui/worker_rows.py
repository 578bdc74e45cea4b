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

import shiboken6
from PySide6.QtCore import QObject, Signal

from bookdesk.core.worker import Worker
from bookdesk.ui import bridge

T = TypeVar("T")
LET_GO_SLICE = 1_000  # rows freed at a time on the worker; between slices the GUI thread may take the GIL


class WorkerRows(QObject):
    """One view's reading of its rows; ``loading`` until the newest read has been shown."""

    loaded = Signal()  # the newest rows have been shown
    answered = Signal()  # the newest read came back, shown or failed (its failure is told by the bridge)

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
        except Exception:
            if number == self._asked and shiboken6.isValid(self):  # not when the view went meanwhile
                self._answered = number
                self.answered.emit()
            raise
        finally:
            newest = number == self._asked
            if newest:
                self._answered = number
        if newest:
            show(rows)
            self.loaded.emit()
            self.answered.emit()

    def let_go(self, *old: list) -> None:
        """Free rows no longer shown on the worker, a slice at a time. Freeing 100,000 summaries held the
        GUI thread for tens of milliseconds (bench/ui_stalls.py, identify). The lists are emptied there, so
        the rows go with the last slice whoever drops the empty lists last: hand only lists the view made
        (never one a service keeps)."""
        if not any(old):
            return
        if not self.worker.running:  # the window is closing: nothing left to keep responsive
            return
        self.worker.call(_empty, old).detach()


def _empty(lists: tuple[list, ...]) -> None:
    for rows in lists:
        while rows:
            del rows[-LET_GO_SLICE:]
