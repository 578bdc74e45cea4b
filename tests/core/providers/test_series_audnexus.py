"""Audnexus knows series only per book: partial listings from the ASINs the library has."""

from __future__ import annotations

import asyncio
import datetime

import pytest

from bookdesk.core.net.errors import NetworkError
from bookdesk.core.providers.series_audnexus import AudnexusSeries
from tests.core.net.local_server import LocalServer, Reply, recorded

KINGS, WORDS, GRAPHIC, BOX = "B003ZWFO7E", "B00DA6YEKS", "B0GRAPHIC2", "B0BOXSET12"
STORMLIGHT, COSMERE = "B0B6VBB0L4", "B0C4JPWP5F"


def serve_books(server: LocalServer) -> None:
    server.route("GET", f"/books/{KINGS}", recorded("audnexus_book"))
    server.route("GET", f"/books/{WORDS}", recorded("series_audnexus_words"))
    server.route("GET", f"/books/{GRAPHIC}", recorded("series_audnexus_graphic"))
    server.route("GET", f"/books/{BOX}", recorded("series_audnexus_boxset"))


def run(net, server: LocalServer, call, *, cache: bool = True):
    async def go():
        async with net(cache=cache) as client:
            return await call(AudnexusSeries(client, server.url))

    return asyncio.run(go())


def test_the_books_asked_about_make_partial_listings_of_each_of_their_series(server: LocalServer, net) -> None:
    serve_books(server)
    notes: list[str] = []

    listings = run(net, server, lambda s: s.series_of_books([KINGS, WORDS.lower(), GRAPHIC, BOX, KINGS, "junk"],
                                                            notes=notes))

    assert sorted(r.path for r in server.requests) == sorted(f"/books/{a}" for a in (KINGS, WORDS, GRAPHIC, BOX))
    assert all(r.param("region") == "us" for r in server.requests)
    by_id = {s.provider_series_id: s for s in listings}
    assert set(by_id) == {STORMLIGHT, COSMERE}
    stormlight = by_id[STORMLIGHT]
    assert stormlight.source == "audnexus" and stormlight.total_primary is None  # Audnexus has no count
    # Three books call it "The Stormlight Archive", one "Stormlight Archive": the commoner name is used.
    assert stormlight.series_name == "The Stormlight Archive"
    assert [(e.label, e.title, e.is_compilation) for e in stormlight.entries] == [
        ("1", "The Way of Kings", False),
        ("1-2", "The Stormlight Archive Collection", True),
        ("2", "Words of Radiance", False),
        ("2", "Words of Radiance (Part 1 of 3) (Dramatized Adaptation)", False),  # a second book at 2: kept
    ]
    kings = stormlight.entries[0]
    assert kings.authors == ["Brandon Sanderson"] and kings.language == "en"
    assert kings.release_date == datetime.date(2010, 8, 31)
    assert kings.identifiers == {"asin": KINGS, "isbn": "9781427210258"}
    assert stormlight.entries[1].cover_url is None  # "not a url"
    cosmere = by_id[COSMERE]  # "seriesSecondary" as a list (Way of Kings) and as an object (Words of Radiance)
    assert [(e.label, e.title) for e in cosmere.entries] == [("8.5", "The Way of Kings"), ("9", "Words of Radiance")]
    assert notes == [
        "Audnexus, The Stormlight Archive: \u201cWords of Radiance (Part 1 of 3) (Dramatized Adaptation)\u201d is listed"
        " at \u201cBook 2, Dramatized Adaptation\u201d; read as position 2 (Dramatized Adaptation).",
        "Audnexus: one series is called \u201cThe Stormlight Archive\u201d by some books and \u201cStormlight "
        "Archive\u201d by others; \u201cThe Stormlight Archive\u201d is used.",
    ]


def test_asking_again_is_answered_from_the_cache(server: LocalServer, net) -> None:
    serve_books(server)

    async def call(source: AudnexusSeries):
        await source.series_of_books([KINGS, WORDS])
        return await source.series_of_books([KINGS, WORDS])

    assert len(run(net, server, call)) == 2
    assert len(server.requests) == 2


def test_an_unknown_asin_is_a_note_and_the_rest_still_count(server: LocalServer, net) -> None:
    server.route("GET", f"/books/{KINGS}", recorded("audnexus_book"))
    notes: list[str] = []

    listings = run(net, server, lambda s: s.series_of_books(["B000000000", KINGS], notes=notes))

    assert {s.series_name for s in listings} == {"The Stormlight Archive", "Cosmere"}
    assert notes == ["Audnexus has no record of the audiobook B000000000."]


def test_when_every_book_fails_the_error_is_raised(server: LocalServer, net) -> None:
    server.route("GET", f"/books/{KINGS}", Reply(500, {"error": "down"}))

    with pytest.raises(NetworkError):
        run(net, server, lambda s: s.series_of_books([KINGS]))


def test_a_search_finds_the_series_books_among_its_hits(server: LocalServer, net) -> None:
    server.route("GET", "/books/search", Reply(body=recorded("series_audnexus_search").body))

    listing = run(net, server, lambda s: s.search_series("Stormlight Archive", author="Brandon Sanderson"))

    (request,) = server.requests
    assert request.param("q") == "Stormlight Archive Brandon Sanderson"
    assert listing.series_name == "The Stormlight Archive" and listing.total_primary is None
    assert [e.title for e in listing.entries] == ["The Way of Kings", "Words of Radiance"]


def test_a_server_without_book_search_says_so(server: LocalServer, net) -> None:
    server.route("GET", "/books/search", Reply(400, {"statusCode": 400, "error": "Bad Request", "message": "Bad ASIN"}))
    notes: list[str] = []

    assert run(net, server, lambda s: s.search_series("Stormlight", notes=notes)) is None
    assert notes and "offers no book search" in notes[0]
