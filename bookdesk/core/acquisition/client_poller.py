"""The one follower of the download clients: every poll of them, whoever asks for it, goes through here.

The running app and the scheduled job ("poll-clients", in the app and in ``bookdesk sync``) share
one ``ClientPoller`` per library. Polls run one at a time: a poll asked for while another runs
waits for it, then looks again, and by then a download the first one imported is no longer
waiting. So a torrent its client finished is imported once, however many ask at the same moment,
and even when the settings (and with them the clients) changed in between.

Listeners hear of every download a poll touched, as the download queue's listeners do
(``DownloadProgress``, on the loop the poll ran on). Problem listeners hear what a poll found wrong, in
the words the status bar shows: "<title>: <reason>" for a download (its path not mapped, its client no
longer set up or not answering), "Download clients: <reason>" when the poll could not be made at all.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select

from bookdesk.core.acquisition.progress import ProgressListener, progress_of, tell
from bookdesk.core.library_service import LibraryService
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.data.models import Download
from bookdesk.errors import BookDeskError

if TYPE_CHECKING:
    from bookdesk.core.acquisition.completed import CompletedOutcome
    from bookdesk.core.acquisition.sources import AcquisitionSources
    from bookdesk.data.catalog import Catalog

FOLLOWED_STATES = ("queued", "running", "paused")

# The indexers and clients of the current settings (made again when the settings change).
SourcesGetter = Callable[[], Awaitable["AcquisitionSources"]]
ProblemListener = Callable[[str], None]


def client_work_waiting(catalog: Catalog) -> bool:
    """Has a download client something of ours to follow: a torrent or usenet download not done yet, or
    one done and still to be imported (its path was not mapped, say)? Downloads over plain HTTP are the
    download queue's own business, not the clients'."""
    with catalog.read() as session:
        waiting = or_(Download.state.in_(FOLLOWED_STATES),
                      and_(Download.state == "completed", Download.import_after.is_(True)))
        return session.execute(select(Download.id).where(Download.kind != "http", waiting).limit(1)).first() \
            is not None


class ClientPoller:
    """``await poll()`` asks every client about our downloads and imports what they finished."""

    def __init__(self, library: LibraryService, sources: SourcesGetter) -> None:
        self.library = library
        self._sources = sources
        self._listeners: list[ProgressListener] = []
        self._problem_listeners: list[ProblemListener] = []
        self._one_at_a_time = asyncio.Lock()

    def add_listener(self, listener: ProgressListener) -> None:
        """``listener(progress)`` is called on the polling loop for each download a poll touched."""
        self._listeners.append(listener)

    def remove_listener(self, listener: ProgressListener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def add_problem_listener(self, listener: ProblemListener) -> None:
        """``listener(text)`` is called on the polling loop for each problem a poll found, in words."""
        self._problem_listeners.append(listener)

    def remove_problem_listener(self, listener: ProblemListener) -> None:
        with contextlib.suppress(ValueError):
            self._problem_listeners.remove(listener)

    async def poll(self) -> list[CompletedOutcome]:
        """Bring every client download up to date and import the finished ones; what became of each."""
        try:
            async with self._one_at_a_time:
                outcomes = await (await self._sources()).completed.poll()
        except BookDeskError as exc:  # the clients could not be made or asked: the job fails with it too
            tell(self._problem_listeners, f"Download clients: {exc.message}")
            raise
        self._tell(outcomes)
        for outcome in outcomes:
            if outcome.error:
                tell(self._problem_listeners, f"{outcome.title or 'A download'}: {outcome.error}")
        return outcomes

    def _tell(self, outcomes: list[CompletedOutcome]) -> None:
        if not self._listeners or not outcomes:
            return
        with self.library.catalog.read() as session:
            repo = DownloadRepository(session)
            rows = [repo.find(o.download_id) for o in outcomes]
        for row in rows:
            if row is not None:  # else removed meanwhile: nothing to tell
                tell(self._listeners, progress_of(row))
