"""A server that answers one byte every second holds no command hostage: every request has a total
deadline (httpx's own timeout counts each read apart, and a byte a second never trips it), the
command ends with a message naming the slow host, and a job that asks several hosts goes on with
the ones that answer.

The deadline is made short through ``$BOOKDESK_REQUEST_DEADLINE``; a test that hangs fails on the
subprocess timeout, far above it. No test here measures time.
"""

from __future__ import annotations

import asyncio
import json
import time
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from bookdesk.core.settings import Settings, save_settings
from tests.cli.test_search_wanted_command import wanted_library  # noqa: F401 - a library wanting two books
from tests.fakes.provider_world import Catalogue, ProviderWorld
from tests.faults.conftest import slow_body
from tests.faults.one_book import BOOK, one_book_library_fixture  # noqa: F401 - a fixture
from tests.servers.torznab_server import API_KEY, FakeRelease, TorznabServer, torznab_fixture  # noqa: F401

DEADLINE = {"BOOKDESK_REQUEST_DEADLINE": "3", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
HANG = 150  # seconds: far past the deadline; reaching it means the command hung


def host_of(url: str) -> str:
    return url.split("//", 1)[1].split("/", 1)[0]


@pytest.fixture
def world():  # noqa: ANN201
    """Open Library, Google Books and the rest on 127.0.0.1, knowing the one book of the test."""
    started = ProviderWorld(Catalogue.from_truth([BOOK], seed=3, coverage={p: 1.0 for p in (
        "openlibrary", "googlebooks", "hardcover", "audnexus")})).start()
    yield started
    started.stop()


def test_identify_names_the_slow_provider_and_uses_the_others(one_book_library, world, http_server,
                                                               bookdesk_process):  # noqa: ANN001
    slow = http_server(slow_body(byte_every=1.0))
    urls = world.provider_urls()
    save_settings(Settings(provider_order=["openlibrary", "googlebooks"],
                           providers_enabled={"openlibrary": True, "googlebooks": True, "hardcover": False,
                                              "audnexus": False},
                           provider_urls={"openlibrary": slow, "openlibrary_covers": slow,
                                          "googlebooks": urls["googlebooks"]},
                           write_back_to_files=False))

    done = bookdesk_process("identify", "--all", "--library", one_book_library, "--json", env=DEADLINE,
                            timeout=HANG)

    [result] = json.loads(done.stdout)["results"]
    assert result["status"] in ("applied", "review"), (result, done.stderr)  # Google's answer was used
    slow_errors = [e for e in result["provider_errors"].values() if host_of(slow) in e]
    assert slow_errors and "3 s" in slow_errors[0], (result, done.stderr)
    assert host_of(slow) in done.stderr


def test_identify_with_its_only_provider_slow_is_offline_not_not_found(one_book_library, http_server,
                                                                       bookdesk_process):  # noqa: ANN001
    slow = http_server(slow_body(byte_every=1.0))
    save_settings(Settings(provider_order=["openlibrary"],
                           providers_enabled={"openlibrary": True, "googlebooks": False, "hardcover": False,
                                              "audnexus": False},
                           provider_urls={"openlibrary": slow, "openlibrary_covers": slow}))

    done = bookdesk_process("identify", "--all", "--library", one_book_library, env=DEADLINE, timeout=HANG)

    assert done.returncode == 1, (done.stdout, done.stderr)
    assert host_of(slow) in done.stdout and "offline" in done.stdout


def test_opds_against_a_slow_catalog_ends_with_a_message_naming_it(http_server, bookdesk_process):  # noqa: ANN001
    slow = http_server(slow_body(byte_every=1.0, content_type="application/atom+xml"))

    done = bookdesk_process("opds", slow + "/opds", env=DEADLINE, timeout=HANG)

    assert done.returncode == 1, (done.stdout, done.stderr)
    assert host_of(slow) in done.stderr and "3 s" in done.stderr, done.stderr
    assert "Ref BD-" in done.stderr


def test_search_wanted_goes_on_with_the_indexers_that_answer(wanted_library, torznab: TorznabServer,  # noqa: F811
                                                            http_server, bookdesk_process):  # noqa: ANN001
    slow = http_server(slow_body(byte_every=1.0, content_type="application/rss+xml"))
    torznab.releases = [FakeRelease("Octavia E. Butler - Kindred (1979) [Retail EPUB]", file="k.torrent")]
    save_settings(Settings(indexers=[{"name": "Slow", "url": slow + "/api"},
                                     {"name": "Quick", "url": torznab.api}]))

    library, _ = wanted_library
    done = bookdesk_process("search-wanted", "--library", library, "--dry-run", "--json",
                            env={**DEADLINE, "BOOKDESK_INDEXER_QUICK": API_KEY}, timeout=HANG)

    works = {w["title"]: w for w in json.loads(done.stdout)["works"]}
    kindred, dispossessed = works["Kindred"], works["The Dispossessed"]
    assert kindred["outcome"] == "dry-run" and kindred["best"]["indexer"] == "Quick", kindred
    for work in (kindred, dispossessed):
        [slow_error] = work["indexer_errors"]
        assert slow_error.startswith("Slow") and host_of(slow) in slow_error and "3 s" in slow_error, slow_error


def test_a_download_that_stalls_ends_retryable_naming_the_host(http_server, tmp_path, monkeypatch):  # noqa: ANN001
    """A download may take an hour; one that brings in almost nothing for a whole window is stuck."""
    from bookdesk.core.acquisition.http_fetch import FetchError, fetch_to_part

    slow = http_server(slow_body(byte_every=0.5, content_type="application/epub+zip"))
    monkeypatch.setenv("BOOKDESK_DOWNLOAD_STALL", "3")

    async def fetch() -> None:
        with httpx.Client() as http:
            # The test's own bound, far past the stall window: reaching it means the download hung.
            await asyncio.wait_for(fetch_to_part(http, slow + "/book.epub", tmp_path / "book.part"), HANG)

    with pytest.raises(FetchError) as caught:
        asyncio.run(fetch())
    assert caught.value.retryable and host_of(slow) in caught.value.message, caught.value.message


def test_a_slow_download_that_keeps_coming_is_not_cut_off(http_server, tmp_path, monkeypatch):  # noqa: ANN001
    from bookdesk.core.acquisition.http_fetch import fetch_to_part

    def steady(request: BaseHTTPRequestHandler) -> None:
        """Eight pieces of 128 KiB, half a second apart: longer than one stall window in all."""
        request.send_response(200)
        request.send_header("Content-Type", "application/epub+zip")
        request.send_header("Content-Length", str(8 * 128 * 1024))
        request.end_headers()
        for _ in range(8):
            request.wfile.write(b"x" * 128 * 1024)
            request.wfile.flush()
            time.sleep(0.5)

    url = http_server(steady) + "/book.epub"
    monkeypatch.setenv("BOOKDESK_DOWNLOAD_STALL", "3")

    async def fetch():  # noqa: ANN202
        with httpx.Client() as http:
            return await fetch_to_part(http, url, tmp_path / "book.part")

    assert asyncio.run(fetch()).bytes_done == 8 * 128 * 1024


def test_a_download_client_that_answers_a_byte_at_a_time_is_offline_naming_it(http_server, monkeypatch):  # noqa: ANN001
    from bookdesk.core.acquisition.clients.base import ClientOfflineError
    from bookdesk.core.acquisition.clients.http_session import ClientSession
    from bookdesk.core.acquisition.config import ClientConfig

    slow = http_server(slow_body(byte_every=1.0))
    monkeypatch.setenv("BOOKDESK_REQUEST_DEADLINE", "3")

    async def ask() -> None:
        session = ClientSession(ClientConfig("Seedbox", "qbittorrent", slow))
        try:
            await asyncio.wait_for(session.request("GET", slow + "/api/v2/app/version"), HANG)
        finally:
            await session.aclose()

    with pytest.raises(ClientOfflineError) as caught:
        asyncio.run(ask())
    assert "Seedbox" in caught.value.message and host_of(slow) in caught.value.message, caught.value.message
