"""Hardcover: GraphQL with the user's token; editions by ISBN/ASIN, series positions, compilations."""

from __future__ import annotations

import asyncio

import pytest

from bookdesk.core.net.errors import NetworkError
from bookdesk.core.providers.base import Query
from bookdesk.core.providers.hardcover import HardcoverProvider
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from tests.core.net.local_server import LocalServer, Reply, recorded

GRAPHQL = "/v1/graphql"


def lookup(net, server: LocalServer, query: Query, token: str | None = "tok-123"):
    async def go():
        async with net() as client:
            provider = HardcoverProvider(client, server.url + GRAPHQL, token=token)
            return await provider.lookup(query)

    return asyncio.run(go())


def test_without_a_token_it_is_not_configured_and_asks_nothing(server: LocalServer, net) -> None:
    async def go():
        async with net() as client:
            provider = HardcoverProvider(client, server.url + GRAPHQL, token="  ")
            return provider.configured(), await provider.lookup(Query(title="Mistborn"))

    assert asyncio.run(go()) == (False, [])
    assert server.requests == []


def test_a_book_is_found_by_the_isbn_of_an_edition(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, recorded("hardcover_books_by_isbn"))

    (mistborn,) = lookup(net, server, Query(title="Mistborn", isbn="9780765311788"), token="Bearer tok-123")

    (request,) = server.requests
    assert request.headers["authorization"] == "Bearer tok-123"
    sent = request.json()
    assert sent["variables"] == {"value": "9780765311788", "limit": 5}
    assert "isbn_13: {_eq: $value}" in sent["query"] and "compilation" in sent["query"]
    assert mistborn.provider == "hardcover" and mistborn.provider_id == "386446"
    assert mistborn.title == "Mistborn: The Final Empire" and mistborn.authors == ["Brandon Sanderson"]
    assert mistborn.series == [SeriesRef("Mistborn", "1", 1.0), SeriesRef("The Cosmere", "1", 1.0)]
    assert mistborn.identifiers == {"hardcover": "386446", "isbn": "9780765311788"}
    assert mistborn.description == "For a thousand years the ash fell and no flowers bloomed.\n\nKelsier recruits Vin."
    assert mistborn.published == "2006-07-17"
    assert mistborn.cover_url == "https://assets.hardcover.app/edition/30398543/mistborn.jpg"
    assert mistborn.url == "https://hardcover.app/books/mistborn-the-final-empire"
    assert not mistborn.is_compilation


def test_a_compilation_is_flagged_and_keeps_its_range_of_positions(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, recorded("hardcover_books_by_asin"))

    (trilogy,) = lookup(net, server, Query(asin="b00abcdef1", audiobook=True))

    assert server.requests[0].json()["variables"]["value"] == "B00ABCDEF1"
    assert trilogy.is_compilation
    assert trilogy.series == [SeriesRef("Mistborn", "1-3", 1.0)]
    assert trilogy.identifiers["asin"] == "B00ABCDEF1"
    assert trilogy.contributors == [Contributor("Brandon Sanderson", "author"), Contributor("Michael Kramer", "narrator")]


def test_a_search_is_made_when_no_edition_matches(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, recorded("hardcover_books_empty"), recorded("hardcover_search"))

    well, guide = lookup(net, server, Query(title="The Well of Ascension", authors=("Sanderson, Brandon",),
                                            isbn="9780765316882"))

    search = server.requests[1].json()
    assert "search(" in search["query"] and 'query_type: "Book"' in search["query"]
    assert search["variables"] == {"query": "The Well of Ascension Brandon Sanderson", "perPage": 5}
    assert well.provider_id == "427854" and well.authors == ["Brandon Sanderson"]
    assert well.series == [SeriesRef("Mistborn", "2", 2.0)]
    assert well.published == "2007-08-21" and well.url == "https://hardcover.app/books/the-well-of-ascension"
    assert guide.is_companion and guide.authors == ["SuperSummary"] and guide.series == []
    assert guide.cover_url is None


def test_a_refused_token_is_said_plainly(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, recorded("hardcover_invalid_token"))

    with pytest.raises(NetworkError) as caught:
        lookup(net, server, Query(title="Mistborn"))
    assert caught.value.message.startswith("Hardcover refused the token") and not caught.value.retryable


def test_a_401_is_said_plainly_too(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, Reply(401, {"error": "Unable to verify token"}))

    with pytest.raises(NetworkError) as caught:
        lookup(net, server, Query(title="Mistborn"))
    assert "Hardcover" in caught.value.message and "refused the token" in caught.value.message
    assert len(server.requests) == 1


def test_the_token_never_shows_in_its_description(server: LocalServer, net, monkeypatch) -> None:
    monkeypatch.setenv("BOOKDESK_HARDCOVER_URL", server.url + GRAPHQL)

    async def go():
        async with net() as client:
            return HardcoverProvider(client, token="very-secret-token")

    provider = asyncio.run(go())
    assert provider.base_url == server.url + GRAPHQL
    assert "very-secret-token" not in repr(provider)


def test_the_book_hardcover_calls_a_compilation_still_ranks_above_a_study_of_it(server: LocalServer, net) -> None:
    from bookdesk.core.candidate_scoring.decide import decide
    from bookdesk.core.candidate_scoring.score import score_candidate

    server.route("POST", GRAPHQL, recorded("real/hardcover_search_lord_of_the_rings.written"))

    found = lookup(net, server, Query(title="The Lord of the Rings", authors=("J.R.R. Tolkien",)))

    lotr = next(c for c in found if c.title == "The Lord of the Rings")
    assert lotr.is_compilation and lotr.published == "1955"
    query = Query(title="The Lord of the Rings", authors=("J.R.R. Tolkien",))
    decision = decide([(c, score_candidate(query, c)) for c in found])
    assert decision.best is lotr
