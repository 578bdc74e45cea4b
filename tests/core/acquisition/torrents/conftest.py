"""Fixtures for the indexer and download-client tests: real daemons (one of each per test process,
started once), a Torznab server per test, a library with a wanted book, and books on disk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bookdesk.core.acquisition.config import IndexerConfig
from tests.servers.torrent_daemons import Daemon, installed, start_qbittorrent, start_transmission
from tests.servers.torznab_server import TorznabServer


def _daemon(kind: str, start: Callable[[Path], Daemon], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daemon]:
    if not installed(kind):
        pytest.skip(f"{kind} is not installed here")
    daemon = start(tmp_path_factory.mktemp(kind))
    yield daemon
    daemon.stop()


@pytest.fixture(scope="session")
def qbittorrent_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daemon]:
    yield from _daemon("qbittorrent", start_qbittorrent, tmp_path_factory)


@pytest.fixture(scope="session")
def transmission_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daemon]:
    yield from _daemon("transmission", start_transmission, tmp_path_factory)


@pytest.fixture(params=["qbittorrent", "transmission"])
def daemon(request: pytest.FixtureRequest) -> Daemon:
    """Each test using this runs once against each client."""
    return request.getfixturevalue(f"{request.param}_daemon")


@pytest.fixture
def torznab() -> Iterator[TorznabServer]:
    server = TorznabServer().start()
    yield server
    server.stop()


@pytest.fixture
def indexer_config(torznab: TorznabServer) -> IndexerConfig:
    return IndexerConfig(name="Test Prowlarr", url=torznab.api)


@dataclass
class Wanted:
    work_id: int
    title: str
    author: str


@pytest.fixture
def want(service) -> Callable[..., Wanted]:  # noqa: ANN001 - the LibraryService fixture
    """``want("Dune", "Frank Herbert", kinds="ebook")``: a wanted book (a placeholder without files)."""
    from bookdesk.data.records import Contributor, NewWork
    from bookdesk.data.wanted_repository import WantedRepository

    def make(title: str, author: str, kinds: str = "ebook") -> Wanted:
        with service.catalog.write() as session:
            repo = WantedRepository(session)
            [work_id] = repo.add_placeholders([NewWork(title, [Contributor(author)], status="wanted")], [None], [kinds],
                                              datetime.now(UTC).replace(tzinfo=None))
            repo.refresh_search([work_id])
        return Wanted(work_id, title, author)

    return make
