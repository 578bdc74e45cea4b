"""The rows of the download queue: read and changed in the catalog, every change told to the listeners.

The queue (queue.py) and the steps of one download (transfer.py) both change rows through one
``DownloadRows``, so a listener hears of every change whichever half made it. When the catalog
will not record how a download ended (a full disk, a read-only or damaged catalog), that end is
kept here in memory (``unrecorded``) and told as if the row said it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bookdesk.core.acquisition.download_access import DownloadAccess
from bookdesk.core.acquisition.progress import DownloadProgress, ProgressListener, progress_of, tell
from bookdesk.core.acquisition.staging import part_path
from bookdesk.data.catalog_rows import DownloadRecord
from bookdesk.errors import BookDeskError

if TYPE_CHECKING:
    from bookdesk.core.library_service import LibraryService

FINAL_STATES = frozenset({"completed", "failed", "imported", "cancelled"})


class DownloadRows:
    def __init__(self, library: LibraryService, downloads: DownloadAccess) -> None:
        self.library = library
        self.downloads = downloads
        self.listeners: list[ProgressListener] = []
        # How a download ended, where the catalog would not say so: (state, the error why not).
        self.unrecorded: dict[int, tuple[str, BookDeskError]] = {}
        self.changed: asyncio.Event | None = None  # set at every change, once the queue runs on a loop

    def get(self, download_id: int) -> DownloadRecord:
        with self.downloads.read() as repo:
            return repo.get(download_id)

    def set(self, download_id: int, *, emit: bool = True, **values: Any) -> None:
        with self.downloads.write() as repo:
            repo.update(download_id, **values)
        if "state" in values:  # the catalog says how it stands again (a retry once space was freed)
            self.unrecorded.pop(download_id, None)
        if emit:
            self.emit(download_id)

    def emit(self, download_id: int, bytes_done: int | None = None, speed: float = 0.0) -> None:
        """Tell the listeners how the download stands now (nothing when its row is gone)."""
        with self.downloads.read() as repo:
            record = repo.find(download_id)
        if record is not None:
            unrecorded = self.unrecorded.get(download_id)
            if unrecorded is not None:  # what the catalog could not be told
                state, error = unrecorded
                record = replace(record, state=state, last_error=error.message)
            self.tell(progress_of(record, bytes_done, speed))

    def tell(self, progress: DownloadProgress) -> None:
        tell(self.listeners, progress)
        if self.changed is not None:
            self.changed.set()

    def part_size(self, record: DownloadRecord) -> int:
        try:
            return self.library.absolute(record.part_path or part_path(record.id)).stat().st_size
        except OSError:
            return 0

    def delete_part(self, record: DownloadRecord) -> None:
        with contextlib.suppress(OSError):
            self.library.absolute(record.part_path or part_path(record.id)).unlink(missing_ok=True)

    async def wait(self, ids: Iterable[int]) -> list[DownloadRecord]:
        """Wait (on the queue's loop) until each of ``ids`` is finished: imported, completed and not to be
        imported, failed, or cancelled. Paused or removed rows count as finished too. Raises what kept
        the queue from recording how a download ended (a full disk, a damaged or read-only catalog)."""
        wanted = list(ids)
        assert self.changed is not None, "the queue is not started"
        while True:
            self.changed.clear()
            if self.unrecorded:
                raise next(iter(self.unrecorded.values()))[1]
            with self.downloads.read() as repo:
                rows = [repo.find(i) for i in wanted]
            if all(r is None or _settled(r) for r in rows):
                return [r for r in rows if r is not None]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout=1.0)


def _settled(record: DownloadRecord) -> bool:
    if record.state == "completed":
        return not record.import_after
    return record.state in FINAL_STATES or record.state == "paused"
