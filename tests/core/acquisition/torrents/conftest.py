"""Fixtures for the indexer and download-client tests: real daemons (one of each per test process,
started once), a Torznab server per test, a library with a wanted book, and books on disk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bookdesk.core.acquisition.config import IndexerConfig
from tests.servers.torrent_daemons import (  # noqa: F401 - session fixtures
    Daemon,
    qbittorrent_daemon_fixture,
    transmission_daemon_fixture,
)
from tests.servers.torznab_server import TorznabServer, torznab_fixture  # noqa: F401 - a fixture


@pytest.fixture(params=["qbittorrent", "transmission"])
def daemon(request: pytest.FixtureRequest) -> Daemon:
    """Each test using this runs once against each client."""
    return request.getfixturevalue(f"{request.param}_daemon")


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
    from bookdesk.data.catalog_rows import Contributor, NewWork
    from bookdesk.data.wanted_repository import WantedRepository

    def make(title: str, author: str, kinds: str = "ebook") -> Wanted:
        with service.catalog.write() as session:
            repo = WantedRepository(session)
            [work_id] = repo.add_placeholders([NewWork(title, [Contributor(author)], status="wanted")], [None], [kinds],
                                              datetime.now(UTC).replace(tzinfo=None))
            repo.refresh_search([work_id])
        return Wanted(work_id, title, author)

    return make
