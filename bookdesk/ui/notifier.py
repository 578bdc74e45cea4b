"""Desktop notifications, a few and to the point: a book imported, a download failed, a new book
found. Events close together become one message (a batch of 300 imports says so once), and
messages are at least a little while apart."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

GATHER_MS = 4_000  # events in this window after the first become one message
MIN_GAP_S = 20.0  # at most one message this often


@dataclass(frozen=True)
class Notice:
    topic: str  # imported | download-failed | new-release | job-failed
    text: str
    count: int = 1


def combined(notices: list[Notice]) -> tuple[str, str]:
    """One (title, body) for everything gathered."""
    by_topic: dict[str, list[Notice]] = {}
    for notice in notices:
        by_topic.setdefault(notice.topic, []).append(notice)
    lines = []
    imported = sum(n.count for n in by_topic.get("imported", []))
    if imported:
        lines.append(f"{imported} book{'s' if imported != 1 else ''} imported")
    for topic, label in (("new-release", "New"), ("download-failed", "Download failed"),
                         ("job-failed", "Failed")):
        found = by_topic.get(topic, [])
        if len(found) == 1:
            lines.append(f"{label}: {found[0].text}")
        elif found:
            lines.append(f"{label}: {found[0].text} and {len(found) - 1} more")
    title = "BookDesk" if len(by_topic) != 1 else {
        "imported": "Books imported", "new-release": "New books found", "download-failed": "A download failed",
        "job-failed": "Something failed"}[next(iter(by_topic))]
    return title, "\n".join(lines)


class Notifier(QObject):
    """``show(title, body)`` is the tray's message; tests pass their own and their own clock."""

    def __init__(self, show: Callable[[str, str], None], parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic, gather_ms: int = GATHER_MS,
                 min_gap_s: float = MIN_GAP_S) -> None:
        super().__init__(parent)
        self._show, self._clock, self._min_gap = show, clock, min_gap_s
        self._pending: list[Notice] = []
        self._last: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(gather_ms)
        self._timer.timeout.connect(self.flush)
        self.shown: list[tuple[str, str]] = []  # what was said, newest last (the tray menu's recent list)

    def notify(self, notice: Notice) -> None:
        self._pending.append(notice)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        if not self._pending:
            return
        now = self._clock()
        if self._last is not None and now - self._last < self._min_gap:
            self._timer.start(int((self._min_gap - (now - self._last)) * 1000) + 1)  # try again when allowed
            return
        title, body = combined(self._pending)
        self._pending.clear()
        self._last = now
        self.shown.append((title, body))
        del self.shown[:-20]
        self._show(title, body)
