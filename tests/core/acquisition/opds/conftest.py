"""Fixtures for the OPDS tests: the catalogs' fixture feeds, a scripted local HTTP server, and real
calibre content servers (started once per test worker, only by the tests that ask for them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.net.fixtures import server  # noqa: F401 - a scripted HTTP server on 127.0.0.1
from tests.servers.calibre_server import (  # noqa: F401 - session fixtures
    calibre_basic_server_fixture,
    calibre_digest_server_fixture,
    calibre_library_fixture,
    calibre_server_fixture,
)

FEEDS = Path(__file__).resolve().parent / "feeds"


@pytest.fixture
def feed_bytes():
    """``feed_bytes("kavita_series")``: the bytes of feeds/kavita_series.xml."""
    def read(name: str) -> bytes:
        return (FEEDS / f"{name}.xml").read_bytes()

    return read
