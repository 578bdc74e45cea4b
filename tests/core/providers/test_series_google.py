"""Google Books series: found through a volume's seriesInfo, listed by series/membership/get."""

from __future__ import annotations

import asyncio
import datetime

import pytest

from bookdesk.core.net.errors import NetworkError
from bookdesk.core.providers.series_google import GoogleBooksSeries
from tests.core.net.local_server import LocalServer, Reply, recorded

API = "/books/v1"
SERIES = "B6m9GAAAABAJ"


def run(net, server: LocalServer, call, **options):
    async def go():
        async with net() as client:
            return await call(GoogleBooksSeries(client, server.url + API, **options))

    return asyncio.run(go())


def test_a_series_is_found_from_an_isbn_and_its_membership_read_page_by_page(server: LocalServer, net) -> None:
    server.route("GET", f"{API}/volumes", recorded("googlebooks_isbn"))
    server.route("GET", f"{API}/series/get", recorded("googlebooks_series"))
    server.route("GET", f"{API}/series/membership/get", recorded("series_google_membership_1"),
                 recorded("series_google_membership_2"))
    notes: list[str] = []

    listing = run(net, server, lambda s: s.series_listing(isbns=["0765326353"], name="Stormlight Archive",
                                                          notes=notes), api_key="MY-KEY")

    volumes, names, first, second = server.requests
    assert volumes.param("q") == "isbn:9780765326355" and volumes.param("key") == "MY-KEY"
    assert names.query["series_id"] == [SERIES]
    assert first.param("series_id") == SERIES and first.param("page_size") == "40" and "page_token" not in first.query
    assert second.param("page_token") == "CAMQAw"
    assert (listing.source, listing.series_name, listing.provider_series_id) == (
        "googlebooks", "The Stormlight Archive", SERIES)
    assert [(e.label, e.title, e.is_compilation) for e in listing.entries] == [
        ("1", "The Way of Kings", False),
        ("1-2", "The Stormlight Archive", True),  # an omnibus: its issues name books 1 and 2
        ("2", "Words of Radiance", False),
        ("2.5", "Edgedancer", False),
        ("4", "Le Rythme de la guerre", False),
        ("4", "Oathbringer", False),  # no printed number: its order number stands in
    ]
    kings = listing.entries[0]
    assert kings.identifiers == {"google": "QVn-CgAAQBAJ", "isbn": "9780765326355"}
    assert kings.language == "en" and kings.release_date == datetime.date(2010, 8, 31)
    assert kings.cover_url.startswith("https://books.google.com/") and "edge=curl" not in kings.cover_url
    assert listing.entries[2].identifiers["isbn"] == "9780765326362"  # from its ISBN-10
    assert listing.entries[4].language == "fr" and listing.entries[4].release_date == datetime.date(2021, 1, 1)
    # Read to the end: Google's whole-number positions, omnibus aside, are 1, 2 and 4.
    assert listing.total_primary == 3
    assert notes == []


def test_a_known_series_id_needs_no_volume_lookup(server: LocalServer, net) -> None:
    server.route("GET", f"{API}/series/get", recorded("googlebooks_series"))
    server.route("GET", f"{API}/series/membership/get", recorded("series_google_membership_2"))

    listing = run(net, server, lambda s: s.series_listing(SERIES))

    assert [r.path for r in server.requests] == [f"{API}/series/get", f"{API}/series/membership/get"]
    assert "key" not in server.requests[0].query
    assert len(listing.entries) == 3


def test_without_the_membership_the_volumes_seen_make_a_partial_listing(server: LocalServer, net) -> None:
    server.route("GET", f"{API}/volumes", recorded("googlebooks_isbn"))
    server.route("GET", f"{API}/series/get", recorded("googlebooks_series"))
    server.route("GET", f"{API}/series/membership/get",
                 Reply(403, {"error": {"code": 403, "message": "Forbidden", "errors": [{"reason": "forbidden"}]}}))
    notes: list[str] = []

    listing = run(net, server, lambda s: s.series_listing(isbns=["9780765326355"], notes=notes))

    assert [e.title for e in listing.entries] == ["The Way of Kings"]
    assert listing.total_primary is None  # partial: Google's count is not known
    assert len(notes) == 1 and notes[0].startswith("Google Books, The Stormlight Archive: the series' list of books")


def test_books_in_no_series_lead_nowhere(server: LocalServer, net) -> None:
    server.route("GET", f"{API}/volumes", recorded("googlebooks_search"))

    assert run(net, server, lambda s: s.series_listing(isbns=["9780547773742"])) is None
    assert [r.path for r in server.requests] == [f"{API}/volumes"]
    assert run(net, server, lambda s: s.series_listing(isbns=["not an isbn"])) is None


def test_a_series_of_another_name_is_not_taken(server: LocalServer, net) -> None:
    server.route("GET", f"{API}/volumes", recorded("googlebooks_isbn"))
    server.route("GET", f"{API}/series/get", recorded("googlebooks_series"))

    notes: list[str] = []

    assert run(net, server, lambda s: s.series_listing(isbns=["9780765326355"], name="Cosmere", notes=notes)) is None
    assert notes == ["Google Books puts the books asked about in \u201cThe Stormlight Archive\u201d, not in "
                     "\u201cCosmere\u201d."]


def test_a_membership_that_fails_without_anything_seen_is_an_error(server: LocalServer, net) -> None:
    server.route("GET", f"{API}/series/get", recorded("googlebooks_series"))
    server.route("GET", f"{API}/series/membership/get", Reply(500, {"error": {"code": 500}}))

    with pytest.raises(NetworkError):
        run(net, server, lambda s: s.series_listing(SERIES))
