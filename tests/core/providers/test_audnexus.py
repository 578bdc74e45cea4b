"""Audnexus: audiobooks by ASIN with narrators, runtime, series and chapters."""

from __future__ import annotations

import asyncio

from bookdesk.core.providers.audnexus import AudnexusProvider, Chapter
from bookdesk.core.providers.base import Query
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from tests.core.net.local_server import LocalServer, recorded

ASIN = "B003ZWFO7E"


def lookup(net, server: LocalServer, query: Query):
    async def go():
        async with net() as client:
            return await AudnexusProvider(client, server.url).lookup(query)

    return asyncio.run(go())


def test_an_audiobook_is_found_by_asin_with_narrators_runtime_and_series(server: LocalServer, net) -> None:
    server.route("GET", f"/books/{ASIN}", recorded("audnexus_book"))

    (kings,) = lookup(net, server, Query(title="The Way of Kings", asin=ASIN.lower(), audiobook=True))

    (request,) = server.requests
    assert request.param("region") == "us"
    assert kings.provider == "audnexus" and kings.provider_id == ASIN
    # The subtitle "The Stormlight Archive, Book 1" only said the series, which seriesPrimary says too.
    assert kings.title == "The Way of Kings" and kings.subtitle is None
    assert kings.contributors == [Contributor("Brandon Sanderson", "author"), Contributor("Michael Kramer", "narrator"),
                                  Contributor("Kate Reading", "narrator")]
    assert kings.authors == ["Brandon Sanderson"]
    assert kings.duration_seconds == 2739 * 60
    assert kings.series == [SeriesRef("The Stormlight Archive", "1", 1.0), SeriesRef("Cosmere", "8.5", 8.5)]
    assert kings.identifiers == {"asin": ASIN, "isbn": "9781427210258"}
    assert kings.language == "en" and kings.publisher == "Macmillan Audio"
    assert kings.published == "2010" and kings.released == "2010-08-31"  # copyright year; this recording's date
    assert kings.description.startswith("Introducing the Stormlight Archive, an epic fantasy series.\n\nRoshar")
    assert "<" not in kings.description and "&nbsp;" not in kings.description
    assert kings.cover_url == "https://m.media-amazon.com/images/I/91KzZWpgmyL.jpg"
    assert kings.url == f"https://www.audible.com/pd/{ASIN}"


def test_chapters_come_with_their_offsets(server: LocalServer, net) -> None:
    server.route("GET", f"/books/{ASIN}/chapters", recorded("audnexus_chapters"))

    async def go():
        async with net() as client:
            return await AudnexusProvider(client, server.url).chapters(ASIN)

    chapters = asyncio.run(go())
    assert chapters[0] == Chapter("Opening Credits", 0.0, 45.0)
    assert chapters[2] == Chapter("Prologue: To Kill", 1425.0, 2100.5)


def test_without_an_asin_there_is_nothing_to_ask(server: LocalServer, net) -> None:
    assert lookup(net, server, Query(title="The Way of Kings", isbn="9780765326355")) == []
    assert lookup(net, server, Query(asin="not-an-asin")) == []
    assert server.requests == []


def test_an_unknown_asin_is_nothing_found(server: LocalServer, net) -> None:
    assert lookup(net, server, Query(asin="B000000000")) == []
    assert len(server.requests) == 1


def test_the_address_can_come_from_the_environment(server: LocalServer, net, monkeypatch) -> None:
    server.route("GET", f"/books/{ASIN}", recorded("audnexus_book"))
    monkeypatch.setenv("BOOKDESK_AUDNEXUS_URL", server.url)

    async def go():
        async with net() as client:
            return await AudnexusProvider(client).lookup(Query(asin=ASIN))

    assert [c.title for c in asyncio.run(go())] == ["The Way of Kings"]


def test_a_secondary_series_sent_as_one_object_is_read_too(server: LocalServer, net) -> None:
    import json

    from tests.core.net.local_server import RESPONSES, Reply

    record = json.loads((RESPONSES / "audnexus_book.json").read_text())
    secondary = record["seriesSecondary"]
    record["seriesSecondary"] = secondary[0] if isinstance(secondary, list) else secondary  # as Audnexus sends it
    server.route("GET", f"/books/{ASIN}", Reply(body=record))

    (kings,) = lookup(net, server, Query(title="The Way of Kings", asin=ASIN, audiobook=True))

    assert kings.series == [SeriesRef("The Stormlight Archive", "1", 1.0), SeriesRef("Cosmere", "8.5", 8.5)]


# ----- real answers (responses/real, see SOURCES.md) ---------------------------------------------

def test_the_sorcerers_stone_audiobook_keeps_1997_as_first_published_and_2015_as_its_release(
        server: LocalServer, net) -> None:
    server.route("GET", "/books/B017V4IM1G", recorded("real/audnexus_book_B017V4IM1G"))

    (stone,) = lookup(net, server, Query(asin="B017V4IM1G", audiobook=True))

    # First publication is the work's (Audnexus's copyright year); the release is this recording's.
    assert stone.published == "1997" and stone.released == "2015-11-20"
    assert stone.contributors == [Contributor("J.K. Rowling", "author"), Contributor("Jim Dale", "narrator")]
    assert stone.identifiers == {"asin": "B017V4IM1G", "isbn": "9781781102633"}
    assert stone.series == [SeriesRef("Harry Potter", "1", 1.0), SeriesRef("Wizarding World Collection", "1", 1.0)]
    assert stone.duration_seconds == 498 * 60 and stone.publisher == "Pottermore Publishing"
    assert stone.language == "en"
    # The summary's list and its rules of dashes arrive as plain text, every item on its own line.
    assert stone.description.startswith("Hear the story that started it all.")
    assert "\nIt's an award-winning classic beloved by countless children and adults\n" in stone.description
    assert "<" not in stone.description and "span" not in stone.description
