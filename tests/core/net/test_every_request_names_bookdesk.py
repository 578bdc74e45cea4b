"""Every way BookDesk asks a server goes through the net factory: each request names BookDesk in its
User-Agent, and each takes its turn from the rate limiter, so a server that asked for a pause (or a
host the limiter holds back) hears nothing more until then."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from bookdesk.core.acquisition.clients.base import ClientError
from bookdesk.core.acquisition.clients.factory import build_client
from bookdesk.core.acquisition.config import ClientConfig, IndexerConfig
from bookdesk.core.acquisition.download_client import make_client
from bookdesk.core.acquisition.opds.client import OpdsClient
from bookdesk.core.acquisition.opds.errors import OpdsServerError
from bookdesk.core.acquisition.release_links import ReleaseLinkError, resolve_link
from bookdesk.core.acquisition.torznab import IndexerError, Release, TorznabIndexer
from bookdesk.core.net.errors import NetworkError
from bookdesk.core.net.factory import USER_AGENT, make_http, open_net
from bookdesk.core.net.rate_limiter import RateLimiter
from tests.core.net.local_server import LocalServer, Reply

HOUR = 3600.0
CAPS = ('<caps><searching><search available="yes" supportedParams="q"/></searching>'
        '<categories><category id="7000" name="Books"/></categories></caps>')
FEED = ('<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>Shelf</title>'
        '<updated>2026-01-01T00:00:00Z</updated></feed>')


def user_agents(server: LocalServer) -> set[str | None]:
    return {request.headers.get("user-agent") for request in server.requests}


def indexer(server: LocalServer, limiter: RateLimiter):  # noqa: ANN201 - a TorznabIndexer on a factory client
    http = make_http()
    return http, TorznabIndexer(IndexerConfig("Local", f"{server.url}/api"), "key", http, limiter)


async def caps(server: LocalServer, limiter: RateLimiter) -> None:
    http, found = indexer(server, limiter)
    async with http:
        await found.capabilities()


def test_importing_the_factory_leaves_httpx_unloaded() -> None:
    # The worker makes its client on first use: httpx is a tenth of a second of every start.
    code = "import sys, bookdesk.core.net.factory, bookdesk.core.worker; print('httpx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_commands_network_names_bookdesk_and_keeps_to_its_limiter(server: LocalServer) -> None:
    server.route("GET", "/works/OL1W.json", Reply(body={"title": "Dune"}))

    async def run() -> tuple[dict, type[Exception]]:
        async with open_net() as net:
            found = await net.get_json(f"{server.url}/works/OL1W.json", max_age=0)
            net.limiter.block(net.limiter.key_for(server.host), HOUR)
            with pytest.raises(NetworkError) as held:
                await net.get_json(f"{server.url}/works/OL2W.json", max_age=0)
            return found, held.type

    assert asyncio.run(run())[0] == {"title": "Dune"}
    assert [r.path for r in server.requests] == ["/works/OL1W.json"]
    assert user_agents(server) == {USER_AGENT}


def test_an_indexer_names_bookdesk(server: LocalServer) -> None:
    server.route("GET", "/api", Reply(body=CAPS, content_type="application/xml"))
    asyncio.run(caps(server, RateLimiter()))
    assert user_agents(server) == {USER_AGENT}


def test_an_indexer_that_asked_for_a_pause_hears_nothing_until_then(server: LocalServer) -> None:
    server.route("GET", "/api", Reply(429, "<error code=\"500\" description=\"slow down\"/>",
                                      headers={"Retry-After": "3600"}, content_type="application/xml"))
    limiter = RateLimiter()
    with pytest.raises(IndexerError):
        asyncio.run(caps(server, limiter))
    with pytest.raises(IndexerError, match="wait 60 min"):
        asyncio.run(caps(server, limiter))
    assert len(server.requests) == 1


def test_a_download_client_names_bookdesk_and_waits_its_turn(server: LocalServer) -> None:
    server.route("POST", "/api/v2/auth/login", Reply(body="Ok.", content_type="text/plain"))
    server.route("GET", "/api/v2/app/version", Reply(body="v4.6.2", content_type="text/plain"))
    limiter = RateLimiter()
    config = ClientConfig("Seedbox", "qbittorrent", server.url, username="admin")

    async def version() -> str:
        client = build_client(config, None, limiter=limiter)
        try:
            return await client.test_connection()
        finally:
            await client.aclose()

    assert asyncio.run(version()) == "qBittorrent v4.6.2"
    assert user_agents(server) == {USER_AGENT}
    limiter.block(limiter.key_for(server.host), HOUR)
    with pytest.raises(ClientError, match="wait 60 min"):
        asyncio.run(version())
    assert len(server.requests) == 2  # the login and the version, before the block


def test_a_torrent_link_names_bookdesk_and_waits_its_turn(server: LocalServer) -> None:
    server.route("GET", "/dl/1", Reply(302, headers={"Location": "magnet:?xt=urn:btih:" + "a" * 40}))
    release = Release("Local", "Dune", "guid-1", f"{server.url}/dl/1")
    limiter = RateLimiter()

    async def resolve():  # noqa: ANN202
        async with make_http() as http:
            return await resolve_link(release, http, limiter)

    assert asyncio.run(resolve()).uri.startswith("magnet:")
    assert user_agents(server) == {USER_AGENT}
    limiter.block(limiter.key_for(server.host), HOUR)
    with pytest.raises(ReleaseLinkError, match="wait 60 min"):
        asyncio.run(resolve())
    assert len(server.requests) == 1


def test_a_catalog_names_bookdesk_and_waits_its_turn(server: LocalServer) -> None:
    server.route("GET", "/opds", Reply(body=FEED, content_type="application/atom+xml"))
    limiter = RateLimiter()

    async def feed():  # noqa: ANN202
        async with make_http() as http:
            return await OpdsClient(http, catalog_url=f"{server.url}/opds", limiter=limiter).feed(f"{server.url}/opds")

    assert asyncio.run(feed()).title == "Shelf"
    assert user_agents(server) == {USER_AGENT}
    limiter.block(limiter.key_for(server.host), HOUR)
    with pytest.raises(OpdsServerError, match="wait 60 min"):
        asyncio.run(feed())
    assert len(server.requests) == 1


def test_the_download_queues_client_names_bookdesk(server: LocalServer) -> None:
    server.route("GET", "/book.epub", Reply(body=b"PK", content_type="application/epub+zip"))

    with make_client(2) as http:  # blocking: a download reads on a thread of its own
        http.get(f"{server.url}/book.epub")

    assert user_agents(server) == {USER_AGENT}
