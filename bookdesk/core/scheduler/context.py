"""What scheduled jobs are given: the library, the settings, the secrets, the HTTP client, and hooks.

The GUI and ``bookdesk sync`` each build one. Work that lives elsewhere and is wired in by
whoever builds the context (searching for wanted books, following the download clients)
comes as a hook; a kind whose hook is missing is "not set up" and skipped, not failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bookdesk.core.importer.watch import WatchFolder
from bookdesk.core.jobs import JobContext
from bookdesk.core.library_service import LibraryService
from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings

if TYPE_CHECKING:
    from bookdesk.core.net.client import HttpClient
    from bookdesk.core.series.service import SeriesService
    from bookdesk.data.catalog import Catalog

# A scheduled job done elsewhere: it may report progress on the job and returns its summary
# (or sets ``job.summary`` itself and returns None).
JobHook = Callable[[JobContext], Awaitable[str | None]]


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class SchedulerContext:
    library: LibraryService
    settings: Settings  # the GUI replaces it when the person saves new settings
    secrets: SecretStore
    # The polite HTTP client (rate limits, cache): the worker's ``net`` in the GUI, one made for the run
    # in ``bookdesk sync``. Used only on the loop the jobs run on.
    net: HttpClient | None = None
    # The GUI's SeriesService (its summaries are cached); one is made on first use when None.
    series: SeriesService | None = None
    search_wanted: JobHook | None = None  # search indexers for wanted books and grab the best release
    poll_clients: JobHook | None = None  # follow torrents in the download clients, import what completed
    # Told the ids of books whose metadata a scheduled job changed (to refresh views, write metadata back)...
    books_changed: Callable[[Sequence[int]], None] | None = None
    # ...and of books it imported (from the watch folder). Called on the thread the jobs run on.
    books_added: Callable[[Sequence[int]], None] | None = None
    # Told (kind, question) when a job that would touch many books waits for the person's go-ahead
    # instead of starting by itself (JobKind.ask_first); called on the thread the jobs run on.
    ask: Callable[[str, str], None] | None = None
    # The watch folder to look in; shared with the GUI's own polling so an entry is handed over once.
    # None: one is made from the settings on first use and kept between runs.
    watch: WatchFolder | None = None
    # How a job waits out a watch folder's settle time after its first look; tests pass one that does not wait.
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    now: Callable[[], datetime] = _utc_now  # the scheduler sets its clock's
    _made: dict[str, object] = field(default_factory=dict, repr=False)
    _watch_looked: list[WatchFolder] = field(default_factory=list, repr=False)  # the WatchFolders looked through

    @property
    def catalog(self) -> Catalog:
        return self.library.catalog

    def series_service(self) -> SeriesService:
        if self.series is None:
            from bookdesk.core.series.service import SeriesService

            self.series = SeriesService(self.catalog, self.settings.gap_policy(),
                                        provider_order=self.settings.providers())
            self._made["series"] = self.series
        return self.series

    def http(self) -> HttpClient:
        if self.net is None:
            from bookdesk.errors import BookDeskError

            raise BookDeskError("This job needs the network, and no HTTP client was given to the scheduler.")
        return self.net

    def watch_folder(self) -> WatchFolder | None:
        """The watch folder the settings name, if it is switched on."""
        if not (self.settings.watch_enabled and self.settings.watch_folder):
            return None
        folder = Path(self.settings.watch_folder).expanduser()
        settle = float(self.settings.watch_interval_seconds)
        if self.watch is None or self.watch.folder.expanduser() != folder:
            self.watch = WatchFolder(folder, settle_seconds=settle)
        return self.watch

    def first_look(self, watch: WatchFolder) -> bool:
        """True the first time a scheduled job looks through ``watch`` (it then needs a second look)."""
        if any(seen is watch for seen in self._watch_looked):
            return False
        self._watch_looked.append(watch)
        return True

    def close(self) -> None:
        """Close what the context made itself (not what it was given)."""
        series = self._made.pop("series", None)
        if series is not None:
            series.close()  # type: ignore[attr-defined]
            self.series = None
