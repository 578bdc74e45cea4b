"""Open Library's work-level series: a key from a work, the name from the series, the works from search."""

from __future__ import annotations

import asyncio

from bookdesk.core.providers.series_openlibrary import OpenLibrarySeries
from tests.core.net.local_server import LocalServer, Reply, recorded

WORK, SERIES = "OL17427759W", "OL327001L"


def run(net, server: LocalServer, call):
    async def go():
        async with net() as client:
            return await call(OpenLibrarySeries(client, server.url, covers_url=f"{server.url}/covers"))

    return asyncio.run(go())


def test_a_series_found_on_a_work_lists_the_works_that_carry_its_key(server: LocalServer, net) -> None:
    server.route("GET", f"/works/{WORK}.json", recorded("series_openlibrary_work"))
    server.route("GET", f"/series/{SERIES}.json", recorded("series_openlibrary_series"))
    server.route("GET", "/search.json", recorded("series_openlibrary_search"))
    notes: list[str] = []

    listing = run(net, server, lambda s: s.series_listing(works=[f"/works/{WORK}"], name="Mistborn", notes=notes))

    work, series, search = server.requests
    assert search.param("q") == f'series_key:"/series/{SERIES}"'
    assert set(search.param("fields").split(",")) >= {"key", "title", "series_key", "series_position"}
    assert (listing.source, listing.series_name, listing.provider_series_id, listing.total_primary) == (
        "openlibrary", "Mistborn", SERIES, None)  # Open Library gives no count
    assert [(e.label, e.title, e.is_compilation) for e in listing.entries] == [
        ("1", "Mistborn: The Final Empire", False),
        ("1-3", "Mistborn Trilogy", True),
        ("2", "The Well of Ascension", False),  # its position in this series, not in its other one
        ("3", "The Hero of Ages", False),
    ]  # "A book about mist" carries another series' key: left out
    final, _, well, _ = listing.entries
    assert final.identifiers == {"openlibrary": WORK} and final.language is None  # three languages: unknown
    assert well.language == "en" and well.cover_url == f"{server.url}/covers/b/id/8231990-L.jpg"
    assert notes == []


def test_a_known_key_needs_no_work(server: LocalServer, net) -> None:
    server.route("GET", f"/series/{SERIES}.json", recorded("series_openlibrary_series"))
    server.route("GET", "/search.json", recorded("series_openlibrary_search"))

    listing = run(net, server, lambda s: s.series_listing(f"https://openlibrary.org/series/{SERIES}/Mistborn"))

    assert len(server.requests) == 2 and len(listing.entries) == 4


def test_when_the_search_cannot_list_the_series_the_works_read_stand_in(server: LocalServer, net) -> None:
    server.route("GET", f"/works/{WORK}.json", recorded("series_openlibrary_work"))
    server.route("GET", f"/series/{SERIES}.json", recorded("series_openlibrary_series"))
    server.route("GET", "/search.json", Reply(400, {"error": "undefined field series_key"}))
    notes: list[str] = []

    listing = run(net, server, lambda s: s.series_listing(works=[WORK], notes=notes))

    assert [(e.label, e.title) for e in listing.entries] == [("1", "Mistborn: The Final Empire")]
    assert listing.entries[0].cover_url == f"{server.url}/covers/b/id/8231856-L.jpg"
    assert listing.total_primary is None
    assert any("could not be searched" in n for n in notes)


def test_works_in_no_series_or_of_another_name_lead_nowhere(server: LocalServer, net) -> None:
    server.route("GET", f"/works/{WORK}.json", recorded("series_openlibrary_work"))
    server.route("GET", f"/series/{SERIES}.json", recorded("series_openlibrary_series"))
    server.route("GET", "/works/OL1W.json", recorded("openlibrary_work"))

    assert run(net, server, lambda s: s.series_listing(works=["OL1W"])) is None
    assert run(net, server, lambda s: s.series_listing(works=[WORK], name="Stormlight Archive")) is None
    assert run(net, server, lambda s: s.series_listing(works=["not a work"])) is None
