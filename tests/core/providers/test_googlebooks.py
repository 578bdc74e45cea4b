"""Google Books: volumes by ISBN or by intitle/inauthor, series names from series/get, an optional key."""

from __future__ import annotations

import asyncio

from bookdesk.core.providers.base import Query
from bookdesk.core.providers.googlebooks import GoogleBooksProvider
from bookdesk.data.catalog_rows import SeriesRef
from tests.core.net.local_server import LocalServer, recorded

API = "/books/v1"


def lookup(net, server: LocalServer, query: Query, **options):
    async def go():
        async with net() as client:
            provider = GoogleBooksProvider(client, server.url + API, **options)
            return await provider.lookup(query)

    return asyncio.run(go())


def test_a_volume_is_found_by_isbn_with_its_series(server: LocalServer, net) -> None:
    server.route("GET", f"{API}/volumes", recorded("googlebooks_isbn"))
    server.route("GET", f"{API}/series/get", recorded("googlebooks_series"))

    (kings,) = lookup(net, server, Query(isbn="0765326353"))

    volumes, series = server.requests
    assert volumes.param("q") == "isbn:9780765326355" and volumes.param("maxResults") == "5"
    assert "key" not in volumes.query  # no key configured: none sent
    assert series.query["series_id"] == ["B6m9GAAAABAJ"]
    assert kings.provider == "googlebooks" and kings.provider_id == "QVn-CgAAQBAJ"
    # The subtitle "Book One of the Stormlight Archive" only said the series: it is the series now.
    assert kings.title == "The Way of Kings" and kings.subtitle is None
    assert kings.authors == ["Brandon Sanderson"]
    assert kings.series == [SeriesRef("The Stormlight Archive", "1", 1.0)]
    assert kings.identifiers == {"google": "QVn-CgAAQBAJ", "isbn": "9780765326355"}
    assert kings.description == "Roshar is a world of stone and storms.\n\nSpeak again the ancient oaths."
    assert kings.language == "en" and kings.publisher == "Tor Books"
    assert kings.released == "2010-08-31" and kings.published is None  # an edition's date, not the book's
    assert kings.cover_url.startswith("https://books.google.com/books/content?id=QVn-CgAAQBAJ")
    assert "edge=curl" not in kings.cover_url
    assert kings.url == "https://play.google.com/store/books/details?id=QVn-CgAAQBAJ"


def test_a_title_search_asks_intitle_and_inauthor_and_spots_study_aids(server: LocalServer, net) -> None:
    server.route("GET", f"{API}/volumes", recorded("googlebooks_empty"), recorded("googlebooks_search"))

    wizard, starters = lookup(net, server, Query(title="A Wizard of Earthsea", authors=("Ursula K. Le Guin",),
                                                 isbn="9780000000002"), api_key="MY-KEY")

    by_isbn, by_title = server.requests
    assert by_isbn.param("q") == "isbn:9780000000002"
    assert by_title.param("q") == "intitle:A Wizard of Earthsea inauthor:Ursula K. Le Guin"
    assert by_title.param("key") == "MY-KEY"
    assert wizard.language == "en" and wizard.released == "2012" and wizard.series == []
    assert wizard.identifiers["isbn"] == "9780547773742"
    assert not wizard.is_companion
    assert starters.is_companion and "isbn" not in starters.identifiers and starters.cover_url is None


def test_series_names_that_cannot_be_had_leave_the_volume_with_what_its_subtitle_says(
        server: LocalServer, net) -> None:
    server.route("GET", f"{API}/volumes", recorded("googlebooks_isbn"))  # series/get is not served: 404

    (kings,) = lookup(net, server, Query(isbn="9780765326355"))
    assert kings.series == [SeriesRef("The Stormlight Archive", "1", 1.0)] and kings.title == "The Way of Kings"


def test_the_address_can_come_from_the_environment(server: LocalServer, net, monkeypatch) -> None:
    server.route("GET", f"{API}/volumes", recorded("googlebooks_empty"))
    monkeypatch.setenv("BOOKDESK_GOOGLEBOOKS_URL", server.url + API)

    async def go():
        async with net() as client:
            provider = GoogleBooksProvider(client)
            return provider, await provider.lookup(Query(title="Nothing Like It"))

    provider, found = asyncio.run(go())
    assert found == [] and len(server.requests) == 1
    assert provider.configured()  # a key is optional


# ----- real answers (responses/real, see SOURCES.md) ---------------------------------------------

def test_novels_found_by_volume_search_carry_no_series_and_only_their_editions_date(
        server: LocalServer, net) -> None:
    # Google's volume search gives no seriesInfo for prose (these are InCryptid books 2 and 3): the
    # lookup neither finds a series there nor spends a request asking for one.
    server.route("GET", f"{API}/volumes", recorded("real/googlebooks_volumes_inauthor_mcguire"))

    found = lookup(net, server, Query(title="Midnight Blue-Light Special", authors=("Seanan McGuire",)))

    assert len(server.requests) == 1
    assert [c.title for c in found] == ["Midnight Blue-Light Special", "Half-Off Ragnarok", "In Mercy, Rain"]
    assert all(c.series == [] for c in found)
    midnight = found[0]
    # publishedDate is this edition's (an ebook of 2013), not when the book first came out.
    assert midnight.published is None and midnight.released == "2013-03-05"
    assert midnight.identifiers == {"google": "_FqJEAAAQBAJ", "isbn": "9781101635452"}
    assert midnight.cover_url.startswith("https://books.google.com/") and "edge=curl" not in midnight.cover_url
    assert found[2].subtitle == "A Tor.Com Original Wayward Children Story"  # not a series marker


def test_a_subtitle_naming_the_series_becomes_the_series_and_position(server: LocalServer, net) -> None:
    server.route("GET", f"{API}/volumes", recorded("real/googlebooks_volume_gardens_of_the_moon.written"))

    (gardens,) = lookup(net, server, Query(isbn="9780765348784"))

    assert gardens.title == "Gardens of the Moon" and gardens.subtitle is None
    assert gardens.series == [SeriesRef("The Malazan Book of the Fallen", "1", 1.0)]
