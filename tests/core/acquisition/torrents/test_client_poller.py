"""One poller follows the download clients: the running app and the scheduled job both go through it,
so a torrent its client has finished is imported once, and its listeners hear of it once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bookdesk.core.acquisition.client_poller import ClientPoller
from bookdesk.core.acquisition.sources import AcquisitionSources
from bookdesk.core.scheduler import kinds
from bookdesk.core.scheduler.acquisition_hooks import wire_acquisition
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.core.scheduler.scheduler import Scheduler
from bookdesk.core.secrets import InMemorySecretStore, source_secret
from bookdesk.core.series.service import SeriesService
from bookdesk.core.settings import Settings
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.data.models import Job
from tests.core.acquisition.torrents.helpers import book_epub, run
from tests.core.acquisition.torrents.make_torrent import make_torrent
from tests.fakes.clock import FakeClock
from tests.servers.torrent_daemons import Daemon
from tests.servers.torznab_server import API_KEY, FakeRelease, TorznabServer

POLLS = 600  # at 0.1 s each: far more than a client needs to check a small local file


async def _until_complete(sources: AcquisitionSources) -> None:
    """Wait until the client has checked the torrent's file and calls it complete."""
    [handle] = sources.handles
    for _ in range(POLLS):
        torrents = await handle.client.status(None)
        if torrents and all(t.complete for t in torrents):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the client never completed the torrent: {torrents}")


def test_a_torrent_completed_in_its_client_is_imported_once_when_the_app_and_the_scheduled_job_both_poll(
        daemon: Daemon, service, want, torznab: TorznabServer, tmp_path: Path) -> None:  # noqa: ANN001
    wanted = want("The Dispossessed", "Ursula K. Le Guin")
    seed = tmp_path / "client-folder"  # the client's save path, where the complete book already is
    epub = book_epub(seed / "The Dispossessed.epub", "The Dispossessed", "Ursula K. Le Guin")
    data, _ = make_torrent(epub)
    torznab.serve_file("disp.torrent", data)
    torznab.releases = [FakeRelease("Ursula K. Le Guin - The Dispossessed (1974) [Retail EPUB]",
                                    file="disp.torrent", seeders=12)]
    settings = Settings(indexers=[{"name": "Prowlarr", "url": torznab.api}],
                        download_clients=[{"name": "Seedbox", "kind": daemon.kind, "url": daemon.url,
                                           "username": daemon.username, "save_path": str(seed)}])
    secrets = InMemorySecretStore({source_secret("indexer", "Prowlarr"): API_KEY,
                                   source_secret("client", "Seedbox"): daemon.password})
    heard = []

    async def go():  # noqa: ANN202
        async with httpx.AsyncClient() as http:
            made: list[AcquisitionSources] = []

            async def current() -> AcquisitionSources:
                # Made anew at each ask, as after the person saved new settings: the one poller, not the
                # clients' objects, is what keeps two polls from importing the same torrent.
                made.append(AcquisitionSources(service, settings, secrets, http))
                return made[-1]

            poller = ClientPoller(service, current)
            poller.add_listener(heard.append)
            context = SchedulerContext(service, settings, secrets)
            wire_acquisition(context, current, poller)
            scheduler = Scheduler(context, kinds=[kinds.POLL_CLIENTS], clock=FakeClock(), draw=lambda: 0.0)
            series = SeriesService(service.catalog)
            try:
                searching = await current()
                [searched] = await searching.search.run(series.wanted())
                assert searched.grabbed, searched
                await _until_complete(searching)
                # The app asks now (Run Now, a refresh) while the scheduled job's time has come too.
                return await asyncio.gather(poller.poll(), scheduler.sync())
            finally:
                series.close()
                context.close()
                for sources in made:
                    await sources.aclose()

    by_app, [by_job] = run(go())

    assert by_job.status == "succeeded", by_job
    # Whichever asked first imported the book; the other found nothing left to do.
    imported_by_app = sum(1 for o in by_app if o.state == "imported")
    imported_by_job = 1 if "1 imported" in (by_job.summary or "") else 0
    assert imported_by_app + imported_by_job == 1, (by_app, by_job)
    with service.catalog.read() as session:
        [row] = DownloadRepository(session).recent()
        imports = session.scalar(select(func.count()).select_from(Job).where(Job.kind == "import"))
    assert (row.kind, row.state) == ("torrent", "imported")
    assert imports == 1
    detail = service.detail(wanted.work_id)
    assert detail.status == "owned" and [f.format for f in detail.files] == ["epub"]
    assert [p.state for p in heard if p.state == "imported"] == ["imported"]
    assert {p.id for p in heard} == {row.id}
