"""How the download queue is tuned: how many downloads at once, how it retries, how often it tells."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bookdesk.core.settings import Settings


@dataclass(frozen=True, slots=True)
class QueueSettings:
    concurrency: int = 3  # downloads at once, over every host
    per_host: int = 2  # downloads at once from one host
    max_attempts: int = 5  # attempts in a row that make no progress before a download fails
    backoff: float = 2.0  # seconds before the first retry; doubles with each attempt
    max_backoff: float = 600.0
    progress_interval: float = 0.25  # listeners hear of a running download at most this often
    save_interval: float = 1.0  # its bytes are written to the catalog at most this often

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> QueueSettings:
        return cls(concurrency=settings.download_concurrency, per_host=settings.download_per_host, **overrides)
