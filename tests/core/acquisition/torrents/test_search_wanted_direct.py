"""Search wanted with a release that is the book file itself: it goes to the HTTP download queue."""

from __future__ import annotations

import httpx

from bookdesk.core.acquisition.blocklist import Blocklist
from bookdesk.core.acquisition.queue import DownloadQueue
from bookdesk.core.acquisition.search_wanted import BELOW_THRESHOLD, GRABBED, SearchWanted
from bookdesk.core.acquisition.torznab import TorznabIndexer
from bookdesk.core.series.service import SeriesService
from bookdesk.data.download_repository import DownloadRepository
from tests.core.acquisition.torrents.helpers import run
from tests.servers.torznab_server import API_KEY, FakeRelease, TorznabServer


def _search(service, indexer_config, queue=None):  # noqa: ANN001, ANN202
    async def go():
        async with httpx.AsyncClient() as http:
            search = SearchWanted(service, [TorznabIndexer(indexer_config, API_KEY, http)], [],
                                  Blocklist(service.catalog), http, queue=queue)
            series = SeriesService(service.catalog)
            try:
                return await search.run(series.wanted())
            finally:
                series.close()

    return run(go())


def test_a_direct_file_release_is_queued_for_the_download_queue(service, want, torznab: TorznabServer,
                                                                 indexer_config) -> None:  # noqa: ANN001
    wanted = want("Kindred", "Octavia E. Butler")
    torznab.releases = [FakeRelease("Octavia E. Butler - Kindred [EPUB]", link=f"{torznab.url}/books/kindred.epub")]

    [result] = _search(service, indexer_config, DownloadQueue(service))

    assert result.outcome == GRABBED and result.download_id is not None
    with service.catalog.read() as session:
        row = DownloadRepository(session).get(result.download_id)
    assert (row.kind, row.state, row.work_id, row.indexer) == ("http", "queued", wanted.work_id, "Test Prowlarr")
    assert row.url.endswith("/books/kindred.epub") and row.expected_format == "epub"


def test_nothing_above_the_threshold_is_grabbed(service, want, torznab: TorznabServer, indexer_config) -> None:  # noqa: ANN001
    want("Kindred", "Octavia E. Butler")
    torznab.releases = [FakeRelease("Octavia E. Butler - Kindred [EPUB]", file="k.torrent", seeders=0)]

    [result] = _search(service, indexer_config)

    assert result.outcome == BELOW_THRESHOLD and not result.grabbed and result.best is not None
    with service.catalog.read() as session:
        assert DownloadRepository(session).recent() == []
