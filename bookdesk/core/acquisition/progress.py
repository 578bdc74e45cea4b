"""What listeners hear about a download: its state and bytes, with a smoothed speed and time left."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from bookdesk.data.catalog_rows import DownloadRecord

log = logging.getLogger(__name__)

# Weight of the newest sample in the running speed: steady enough to read, quick to follow a change.
_SMOOTHING = 0.3


@dataclass(frozen=True, slots=True)
class DownloadProgress:
    """One download's state for the Downloads view. ``speed`` in bytes a second (smoothed; 0 when not
    moving), ``eta`` in seconds (None when unknown)."""

    id: int
    state: str
    bytes_done: int
    bytes_total: int | None
    speed: float
    eta: float | None
    last_error: str | None
    title: str | None
    source: str
    url: str = ""
    correlation_id: str | None = None
    work_id: int | None = None
    path: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("completed", "failed", "imported", "cancelled")


ProgressListener = Callable[[DownloadProgress], None]
News = TypeVar("News")  # what a listener hears: a DownloadProgress, or a poll's problem in words


def tell(listeners: Iterable[Callable[[News], None]], progress: News) -> None:
    """Call each listener with ``progress`` (or other news: a poll's problem, in words); one that breaks
    does not stop the others, nor the download."""
    for listener in list(listeners):
        try:
            listener(progress)
        except Exception:
            log.exception("download listener failed")


def progress_of(record: DownloadRecord, bytes_done: int | None = None, speed: float = 0.0) -> DownloadProgress:
    done = record.bytes_done if bytes_done is None else bytes_done
    eta = (record.bytes_total - done) / speed if speed > 0 and record.bytes_total else None
    return DownloadProgress(record.id, record.state, done, record.bytes_total, speed, eta, record.last_error,
                            record.title, record.source, record.url, record.correlation_id, record.work_id,
                            record.path)


class SpeedMeter:
    """Bytes a second over the last samples, smoothed."""

    def __init__(self, now: float, done: int) -> None:
        self._at, self._done = now, done
        self.speed = 0.0

    def sample(self, now: float, done: int) -> float:
        elapsed = now - self._at
        if elapsed > 0:
            current = max(0.0, (done - self._done) / elapsed)
            self.speed = current if self.speed == 0 else _SMOOTHING * current + (1 - _SMOOTHING) * self.speed
            self._at, self._done = now, done
        return self.speed
