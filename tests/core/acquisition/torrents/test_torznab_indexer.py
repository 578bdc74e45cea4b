"""A Torznab indexer (Prowlarr- and Jackett-shaped) on 127.0.0.1: capabilities, searches, releases,
and hostile or broken answers that become clear errors naming the indexer."""

from __future__ import annotations

import httpx
import pytest

from bookdesk.core.acquisition.config import IndexerConfig
from bookdesk.core.acquisition.torznab import IndexerError, TorznabIndexer, parse_results
from tests.core.acquisition.torrents.helpers import run
from tests.servers.ports import free_port
from tests.servers.torznab_server import API_KEY, FakeRelease, TorznabServer


def search(config: IndexerConfig, api_key: str | None, title: str, author: str = "", **kwargs):
    async def go():
        async with httpx.AsyncClient() as http:
            indexer = TorznabIndexer(config, api_key, http)
            return await indexer.capabilities(), await indexer.search(title, author, **kwargs)

    return run(go())


def test_capabilities_and_a_book_search_by_title_and_author(torznab: TorznabServer, indexer_config) -> None:
    torznab.releases = [
        FakeRelease("Ursula K. Le Guin - A Wizard of Earthsea [EPUB]", link="magnet:?xt=urn:btih:" + "c" * 40,
                    size=1_234_567, seeders=12, peers=15, info_hash="C" * 40, age_days=3),
        FakeRelease("Ursula K. Le Guin - A Wizard of Earthsea [M4B]", file="w.torrent", category=3030),
    ]
    caps, releases = search(indexer_config, API_KEY, "A Wizard of Earthsea", "Ursula K. Le Guin", media_kind="ebook")

    assert caps.book_search.supports("title", "author") and {7000, 7020, 3030} <= set(caps.categories)
    asked = [r.params for r in torznab.requests]
    assert asked[0]["t"] == "caps" and all(p["apikey"] == API_KEY for p in asked)
    assert asked[1]["t"] == "book" and asked[1]["title"] == "A Wizard of Earthsea"
    assert asked[1]["author"] == "Ursula K. Le Guin" and asked[1]["cat"] == "7020"
    [release] = releases  # the audiobook is in another category
    assert release.indexer == "Test Prowlarr" and release.title.endswith("[EPUB]")
    assert (release.size, release.seeders, release.peers, release.categories) == (1_234_567, 12, 15, (7020,))
    assert release.info_hash == "c" * 40 and release.magnet == release.link and release.protocol == "torrent"
    assert release.published is not None and release.download_factor == 1.0


def test_an_indexer_without_book_search_is_asked_in_free_text() -> None:
    server = TorznabServer(book_search=False).start()
    try:
        server.releases = [FakeRelease("Octavia E. Butler - Kindred (1979) [EPUB]", file="k.torrent")]
        config = IndexerConfig("Jackett", server.api)
        _, releases = search(config, API_KEY, "Kindred", "Octavia E. Butler")
        params = server.requests[-1].params
    finally:
        server.stop()
    assert params["t"] == "search" and params["q"] == "Octavia E. Butler Kindred"
    assert params["cat"] == "7020,3030"  # any media kind: both
    assert [r.title for r in releases] == ["Octavia E. Butler - Kindred (1979) [EPUB]"]


def test_an_isbn_is_searched_as_text(torznab: TorznabServer, indexer_config) -> None:
    torznab.releases = [FakeRelease("9780441013593 Dune EPUB", file="d.torrent")]
    _, releases = search(indexer_config, API_KEY, "", isbn="9780441013593")
    assert torznab.requests[-1].params["q"] == "9780441013593" and len(releases) == 1


@pytest.mark.parametrize(("mode", "api_key", "words"), [
    ("ok", "wrong-key", "refused the API key (error 100: Invalid API Key)"),
    ("error", API_KEY, "refused the API key"),
    ("forbidden", API_KEY, "refused the API key (HTTP 401)"),
    ("html", API_KEY, "answered with a web page"),
    ("entities", API_KEY, "declares entities"),
])
def test_a_bad_answer_is_a_clear_error_naming_the_indexer(torznab: TorznabServer, indexer_config, mode: str,
                                                          api_key: str, words: str) -> None:
    torznab.mode = mode
    with pytest.raises(IndexerError) as caught:
        search(indexer_config, api_key, "Dune")
    assert caught.value.message.startswith("Test Prowlarr") and words in caught.value.message
    assert caught.value.indexer == "Test Prowlarr"


def test_an_indexer_that_is_not_running_is_a_clear_error() -> None:
    config = IndexerConfig("Prowlarr", f"http://127.0.0.1:{free_port()}/1/api")
    with pytest.raises(IndexerError) as caught:
        search(config, API_KEY, "Dune")
    assert "Prowlarr cannot be reached" in caught.value.message and caught.value.retryable


def test_newznab_items_and_items_without_a_link() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0" xmlns:newznab="http://www.newznab.com/DTD/2010/feeds/attributes/">
    <channel><item><title>Dune EPUB</title><guid>abc</guid><link>http://nzb.example/get/abc.nzb</link>
    <pubDate>Tue, 01 Oct 2024 10:00:00 +0200</pubDate><enclosure url="http://nzb.example/get/abc.nzb" length="2000000"
    type="application/x-nzb"/><newznab:attr name="category" value="7000"/><newznab:attr name="category" value="7020"/>
    </item><item><title>No link</title></item></channel></rss>"""
    [release] = parse_results(feed, "NZBgeek")
    assert release.protocol == "usenet" and release.categories == (7000, 7020) and release.seeders is None
    assert release.size == 2_000_000 and release.published.hour == 8  # kept in UTC
