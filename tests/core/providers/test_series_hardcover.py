"""Hardcover series listings and bibliographies, from recorded GraphQL answers over a local server."""

from __future__ import annotations

import asyncio
import datetime
import json
import re

from bookdesk.core.net.rate_limiter import Rate
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.providers.hardcover import top_level_fields
from bookdesk.core.providers.series_hardcover import HardcoverSeries
from bookdesk.core.providers.series_listing import ListedBook
from tests.core.net.local_server import LocalServer, Reply, recorded

GRAPHQL = "/v1/graphql"


def run(net, server: LocalServer, call, *, token: str | None = "tok-123", cache: bool = True):
    async def go():
        async with net(cache=cache) as client:
            source = HardcoverSeries(client, server.url + GRAPHQL, token=token)
            return await call(source)

    return asyncio.run(go())


def selection_depth(query: str) -> int:
    """How deep a GraphQL document's selections go (arguments set aside; the operation not counted)."""
    depth = deepest = 0
    text = query
    while "(" in text:  # drop arguments, innermost first
        text = re.sub(r"\([^()]*\)", "", text)
    for char in text:
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth -= 1
    return deepest - 1


def test_a_series_by_id_is_one_request_with_positions_compilations_languages_and_the_primary_count(
        server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, recorded("series_hardcover_listing"))
    notes: list[str] = []

    listing = run(net, server, lambda s: s.series_listing(series_id=997, notes=notes))

    (request,) = server.requests
    sent = request.json()
    assert request.headers["authorization"] == "Bearer tok-123"
    assert sent["variables"] == {"id": 997, "limit": 300}
    assert "series_by_pk(id: $id)" in sent["query"] and "canonical_id: {_is_null: true}" in sent["query"]
    assert selection_depth(sent["query"]) <= 3  # Hardcover refuses queries deeper than three
    assert (listing.source, listing.series_name, listing.provider_series_id, listing.total_primary) == (
        "hardcover", "Mistborn", "997", 7)
    labels = [(e.label, e.title) for e in listing.entries]
    assert labels == [
        ("1", "El imperio final"),
        ("1", "Mistborn: The Final Empire"),
        ("1", "Mistborn: The Final Empire (Dramatized Adaptation)"),
        ("1-3", "Mistborn Trilogy Boxed Set"),
        ("2", "The Well of Ascension"),
        ("3", "The Hero of Ages"),
        ("3.5", "Mistborn: Secret History"),
        ("4", "The Alloy of Law"),
        ("5", "Shadows of Self"),
        ("6", "The Bands of Mourning"),
        ("7", "The Lost Metal"),
        ("", "The Eleventh Metal"),
    ]  # duplicates at position 1 kept: a translation, a dramatized edition, an omnibus
    final = next(e for e in listing.entries if e.title == "Mistborn: The Final Empire")
    assert final == ListedBook(
        title="Mistborn: The Final Empire", authors=["Brandon Sanderson"], label="1", sort_key=1.0,
        is_compilation=False, release_date=datetime.date(2006, 7, 17), language="en",
        identifiers={"hardcover": "386446", "isbn": "9780765311788", "asin": "B002UZMLXM"},
        cover_url="https://assets.hardcover.app/edition/30398543/mistborn.jpg")
    box = next(e for e in listing.entries if e.label == "1-3")
    assert box.is_compilation and box.sort_key == 1.0
    spanish = next(e for e in listing.entries if e.title == "El imperio final")
    assert spanish.language == "es" and spanish.authors == ["Brandon Sanderson"]  # the translator is not an author
    well = next(e for e in listing.entries if e.label == "2")
    assert well.authors == ["Brandon Sanderson"] and well.cover_url.endswith("/well.jpg")
    assert next(e for e in listing.entries if e.label == "4").release_date == datetime.date(2011, 1, 1)
    eleventh = listing.entries[-1]
    assert eleventh.sort_key is None and eleventh.release_date is None and eleventh.language is None
    assert notes == ["Hardcover, Mistborn: \u201cMistborn: The Final Empire (Dramatized Adaptation)\u201d is listed at "
                     "\u201cBook 1, Dramatized Adaptation\u201d; read as position 1 (Dramatized Adaptation)."]


def test_a_series_by_name_is_found_with_the_series_search_then_listed(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, recorded("series_hardcover_search"), recorded("series_hardcover_listing"))

    listing = run(net, server, lambda s: s.series_listing("the Mistborn series"))

    search, books = server.requests
    assert search.json()["variables"] == {"query": "the Mistborn series", "type": "Series", "perPage": 5}
    assert books.json()["variables"]["id"] == 997  # not "Mistborn Saga", the first hit, whose name only contains it
    assert listing.series_name == "Mistborn" and listing.total_primary == 7


def test_a_name_no_series_has_is_none_after_one_request(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, recorded("series_hardcover_search"))

    assert run(net, server, lambda s: s.series_listing("Mistborn Chronicles of Nowhere")) is None
    assert len(server.requests) == 1


def test_search_results_sent_as_json_text_are_read_too(server: LocalServer, net) -> None:
    body = json.loads(recorded("series_hardcover_search").body)
    body["data"]["search"]["results"] = json.dumps(body["data"]["search"]["results"])
    server.route("POST", GRAPHQL, Reply(body=body))

    found = run(net, server, lambda s: s.find_series("Mistborn", author="Brandon Sanderson"))
    assert found == 997


def test_an_unknown_id_is_none(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, Reply(body={"data": {"series_by_pk": None, "books": []}}))

    assert run(net, server, lambda s: s.series_listing(series_id="424242")) is None


def test_without_a_token_nothing_is_asked(server: LocalServer, net) -> None:
    async def call(source: HardcoverSeries):
        return (source.configured(), await source.series_listing("Mistborn"),
                await source.author_bibliography("Brandon Sanderson"), repr(source))

    configured, listing, books, shown = run(net, server, call, token=" ")
    assert (configured, listing, books) == (False, None, [])
    assert server.requests == [] and "tok" not in shown


def test_an_authors_bibliography_and_series_come_from_one_request(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, recorded("series_hardcover_author"))

    async def call(source: HardcoverSeries):
        return (await source.author_bibliography("Sanderson, Brandon"),
                await source.author_series("Brandon Sanderson"))

    books, series = run(net, server, call)

    (request,) = server.requests  # the second call was answered from the cache
    sent = request.json()
    assert sent["variables"] == {"name": "Brandon Sanderson", "limit": 200}
    assert selection_depth(sent["query"]) <= 3
    assert [(b.title, b.label) for b in books] == [("Mistborn: The Final Empire", "1"), ("The Way of Kings", "1"),
                                                   ("Elantris", "")]  # the narrated book is not his as author
    assert books[1].identifiers == {"hardcover": "369321", "isbn": "9780765326355", "asin": "B003ZWFO7E"}
    by_name = {s.series_name: s for s in series}
    assert set(by_name) == {"Mistborn", "The Cosmere", "The Stormlight Archive"}
    cosmere = by_name["The Cosmere"]
    assert cosmere.total_primary == 30 and cosmere.provider_series_id == "3033"
    assert [(e.label, e.title) for e in cosmere.entries] == [("1", "Mistborn: The Final Empire"),
                                                             ("8", "The Way of Kings")]


def test_an_author_hardcover_spells_differently_is_found_through_the_author_search(server: LocalServer, net) -> None:
    search = {"data": {"search": {"results": {"hits": [{"document": {
        "id": "80626", "name": "Ursula K. Le Guin", "alternate_names": ["Ursula Le Guin", "Ursula K Le Guin"]}}]}}}}
    server.route("POST", GRAPHQL, Reply(body={"data": {"books": []}}), Reply(body=search),
                 recorded("series_hardcover_author"))

    books = run(net, server, lambda s: s.author_bibliography("Ursula Le Guin"))

    first, found, again = (r.json()["variables"] for r in server.requests)
    assert first["name"] == "Ursula Le Guin" and found["type"] == "Author"
    assert again["name"] == "Ursula K. Le Guin"
    assert books  # the recorded answer stands in for hers


def test_many_listings_keep_to_hardcovers_sixty_a_minute(server: LocalServer, net, clock) -> None:
    server.route("POST", GRAPHQL, recorded("series_hardcover_listing"))
    started = clock.monotonic()

    async def call(source: HardcoverSeries):
        return await asyncio.gather(*(source.series_listing(series_id=i) for i in range(1, 13)))

    listings = run(net, server, call, cache=False)

    assert len(listings) == 12 and len(server.requests) == 12
    # A burst of five, then one a second: the twelfth goes no sooner than seven seconds in.
    assert clock.monotonic() - started >= 7.0


def test_a_query_of_two_top_level_fields_is_charged_as_two_of_hardcovers_requests(
        server: LocalServer, net, limiter, clock) -> None:
    # Hardcover counts each top-level field of a query against the 60 a minute: the listing asks for
    # series_by_pk and books at once, so it spends two. Allowed three a minute, the listing and one
    # more query go at once and the third query waits for the minute to turn.
    server.route("POST", GRAPHQL, recorded("series_hardcover_listing"), recorded("series_hardcover_listing"),
                 recorded("series_hardcover_listing"))
    limiter.set_rate(rate_key(server.url + GRAPHQL), Rate(3, 60.0, burst=3))
    started = clock.monotonic()

    async def two_more_listings_after(source: HardcoverSeries):
        await source.series_listing(series_id=997)  # two fields
        waited_before = clock.monotonic() - started
        await source.series_listing(series_id=998)  # two more: only one left in this minute
        return waited_before, clock.monotonic() - started

    waited_before, waited_after = run(net, server, two_more_listings_after, cache=False)

    assert waited_before == 0
    assert waited_after >= 60.0  # the second listing waited for the window: 2 + 2 > 3


def test_the_fields_a_query_is_charged_for_are_its_top_level_selections() -> None:
    assert top_level_fields("query Q($id: Int!) { series_by_pk(id: $id) { id name } books(limit: 2) { id } }") == 2
    assert top_level_fields("query { search(query: \"{ x } y\", per_page: 5) { results } }") == 1
    assert top_level_fields("query { a: books(limit: 1) { id } b: books(limit: 2) { id title } }") == 2
    assert top_level_fields("not graphql at all") == 1
