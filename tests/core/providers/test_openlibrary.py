"""Open Library: one trimmed search per lookup, batched ISBNs, the work's description on request."""

from __future__ import annotations

import asyncio

import pytest

from bookdesk.core.providers.base import Candidate, Query
from bookdesk.core.providers.openlibrary import OpenLibraryProvider
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from tests.core.net.local_server import LocalServer, Reply, recorded


def lookup(net, server: LocalServer, query: Query, **options):
    async def go():
        async with net() as client:
            provider = OpenLibraryProvider(client, server.url, covers_url=f"{server.url}/covers", **options)
            return await provider.lookup(query, user_waiting=True)

    return asyncio.run(go())


def test_a_book_is_found_by_isbn_in_one_trimmed_request(server: LocalServer, net) -> None:
    server.route("GET", "/search.json", recorded("openlibrary_search_isbn"))

    (hobbit,) = lookup(net, server, Query(title="hobbit", isbn="978-0-547-92822-7"))

    (request,) = server.requests
    assert request.param("q") == "isbn:9780547928227"
    assert set(request.param("fields").split(",")) >= {"key", "title", "author_name", "isbn", "cover_i",
                                                       "first_publish_year", "language"}
    assert hobbit.provider == "openlibrary" and hobbit.provider_id == "OL262758W"
    assert hobbit.title == "The Hobbit" and hobbit.subtitle == "or There and Back Again"
    assert hobbit.authors == ["J.R.R. Tolkien"]
    assert hobbit.identifiers == {"openlibrary": "OL262758W", "isbn": "9780547928227"}
    assert hobbit.published == "1937"
    assert hobbit.cover_url == f"{server.url}/covers/b/id/14627509-L.jpg"
    assert hobbit.url == f"{server.url}/works/OL262758W"
    assert hobbit.language is None  # a work in four languages: which one is this book's is not known
    assert not hobbit.is_companion and not hobbit.is_compilation


def test_an_unknown_isbn_falls_back_to_title_and_author(server: LocalServer, net) -> None:
    server.route("GET", "/search.json", recorded("openlibrary_search_empty"), recorded("openlibrary_search_title"))

    found = lookup(net, server, Query(title="A Wizard of Earthsea", authors=("Le Guin, Ursula K.",),
                                      isbn="9780000000002", language="en"))

    first, second = server.requests
    assert first.param("q") == "isbn:9780000000002"
    assert second.param("title") == "A Wizard of Earthsea" and second.param("author") == "Ursula K. Le Guin"
    assert [c.title for c in found] == ["A Wizard of Earthsea", "Summary of A Wizard of Earthsea",
                                        "The Earthsea Cycle Box Set"]
    wizard, summary, box = found
    assert wizard.language == "en" and "isbn" not in wizard.identifiers
    assert summary.is_companion and not summary.is_compilation
    assert box.is_compilation and box.authors == ["Ursula K. Le Guin"]
    assert box.cover_url is None


def test_nothing_to_ask_with_neither_isbn_nor_title(server: LocalServer, net) -> None:
    assert lookup(net, server, Query(authors=("Someone",))) == []
    assert server.requests == []


def test_a_missing_endpoint_means_nothing_found(server: LocalServer, net) -> None:
    assert lookup(net, server, Query(title="Anything")) == []  # the server answers 404


def test_many_isbns_are_looked_up_in_one_request(server: LocalServer, net) -> None:
    server.route("GET", "/search.json", recorded("openlibrary_search_bulk"))

    async def go():
        async with net() as client:
            provider = OpenLibraryProvider(client, server.url)
            return await provider.bulk_isbn(["0261103342", "9780547773742", "9780765326355", "not an isbn"])

    found = asyncio.run(go())

    (request,) = server.requests
    assert request.param("q") == "isbn:9780261103344 OR isbn:9780547773742 OR isbn:9780765326355"
    assert [c.title for c in found["0261103342"]] == ["The Hobbit"]
    assert found["0261103342"][0].identifiers["isbn"] == "9780261103344"
    assert [c.title for c in found["9780547773742"]] == ["A Wizard of Earthsea"]
    assert found["9780765326355"] == [] and found["not an isbn"] == []


def test_details_add_the_works_description_as_plain_text(server: LocalServer, net) -> None:
    server.route("GET", "/search.json", recorded("openlibrary_search_isbn"))
    server.route("GET", "/works/OL262758W.json", recorded("openlibrary_work"))

    async def go():
        async with net() as client:
            provider = OpenLibraryProvider(client, server.url)
            (hobbit,) = await provider.lookup(Query(isbn="9780547928227"))
            return await provider.details(hobbit)

    hobbit = asyncio.run(go())
    assert hobbit.description == ("Bilbo Baggins is a hobbit who enjoys a comfortable, unambitious life.\n\n"
                                  "Then Gandalf arrives & everything changes.")


def test_odd_shapes_in_an_answer_are_skipped_not_fatal(server: LocalServer, net) -> None:
    server.route("GET", "/search.json", Reply(body={"docs": [
        {"key": "/works/OL1W", "title": ["not", "a", "string"]},
        {"key": 12, "title": "No key"},
        "not an object",
        {"key": "/works/OL2W", "title": "Fine", "author_name": "not a list", "cover_i": "12", "language": "eng"},
    ]}))

    (fine,) = lookup(net, server, Query(title="Fine"))
    assert fine.title == "Fine" and fine.authors == [] and fine.cover_url is None


@pytest.mark.parametrize("explicit", [False, True])
def test_the_addresses_come_from_settings_then_the_environment(server: LocalServer, net, monkeypatch,
                                                               explicit: bool) -> None:
    server.route("GET", "/search.json", recorded("openlibrary_search_isbn"))
    monkeypatch.setenv("BOOKDESK_OPENLIBRARY_COVERS_URL", "http://covers.mirror.example")
    if explicit:
        monkeypatch.setenv("BOOKDESK_OPENLIBRARY_URL", "http://127.0.0.1:9/never-used")
    else:
        monkeypatch.setenv("BOOKDESK_OPENLIBRARY_URL", server.url + "/")

    async def go():
        async with net() as client:
            provider = OpenLibraryProvider(client, server.url if explicit else None)
            return await provider.lookup(Query(isbn="9780547928227"))

    (hobbit,) = asyncio.run(go())
    assert len(server.requests) == 1
    assert hobbit.cover_url == "http://covers.mirror.example/b/id/14627509-L.jpg"


def test_the_public_addresses_are_the_default(net, monkeypatch) -> None:
    monkeypatch.delenv("BOOKDESK_OPENLIBRARY_URL", raising=False)
    monkeypatch.delenv("BOOKDESK_OPENLIBRARY_COVERS_URL", raising=False)

    async def go():
        async with net() as client:
            provider = OpenLibraryProvider(client)
            return provider, client.limiter

    provider, limiter = asyncio.run(go())
    assert provider.base_url == "https://openlibrary.org"
    assert provider.covers_url == "https://covers.openlibrary.org"
    assert provider.configured()
    assert limiter.rate_for("openlibrary.org").requests == 3


def test_many_lookups_at_once_never_go_faster_than_the_published_rate(server: LocalServer, net, clock) -> None:
    server.route("GET", "/search.json", recorded("openlibrary_search_title"))
    sent: list[float] = []

    async def go():
        async with net(cache=False) as client:
            async def note(request) -> None:
                sent.append(clock.monotonic())

            client.http.event_hooks["request"].append(note)
            provider = OpenLibraryProvider(client, server.url)
            await asyncio.gather(*(provider.lookup(Query(title=f"Book {i}")) for i in range(12)))

    asyncio.run(go())
    assert len(sent) == len(server.requests) == 12
    assert max(sum(1 for t in sent if start <= t < start + 1.0) for start in sent) <= 3


# ----- real answers (responses/real, see SOURCES.md) ---------------------------------------------

def test_a_narrator_pooled_into_the_search_answers_authors_is_left_out_by_the_work_record(
        server: LocalServer, net) -> None:
    # Open Library's search pools every edition's contributors: Shadows of Self comes back as by
    # "Brandon Sanderson" and "Michael Kramer", who reads the audiobook. The work record names only
    # the author, by key; the search answer's author_key/author_name pairs give the key its name.
    server.route("GET", "/search.json", recorded("real/openlibrary_search_mistborn"))
    server.route("GET", "/works/OL17349393W.json", recorded("real/openlibrary_work_OL17349393W.written"))

    found = lookup(net, server, Query(title="Shadows of Self", authors=("Brandon Sanderson",)))

    by_work = {c.provider_id: c for c in found}
    # The series Open Library writes into its titles is a series, and out of the title.
    assert by_work["OL5738148W"].title == "The Final Empire"
    assert by_work["OL5738148W"].series == [SeriesRef("Mistborn", "1", 1.0)]
    assert by_work["OL17349393W"].title == "Shadows of Self"
    assert by_work["OL17349393W"].series == [SeriesRef("Mistborn", "5", 5.0)]
    # first_publish_year is the work's year, as Open Library has it (2001 here, wrongly, but the work's).
    assert by_work["OL5738148W"].published == "2001" and by_work["OL5738148W"].released is None
    assert by_work["OL17349393W"].authors == ["Brandon Sanderson"]
    assert "Michael Kramer" not in {c.name for c in by_work["OL17349393W"].contributors}
    assert by_work["OL5738148W"].authors == ["Brandon Sanderson"]
    # A work whose record is not to be had keeps what the search said: four makers of a game.
    assert by_work["OL24289089W"].authors == ["Brandon Sanderson", "Alex Flagg", "Patrick Kapera", "Crafty Games"]
    asked = [r.path for r in server.requests]
    # Only works the search credits to several people are looked up: one author cannot hide a narrator.
    assert asked.count("/works/OL5738148W.json") == 0
    assert asked.count("/works/OL17349393W.json") == 1 and asked.count("/works/OL24289089W.json") == 1
    assert "author_key" in server.requests[0].param("fields").split(",")


def test_the_work_records_description_may_be_a_typed_text_and_arrives_plain(server: LocalServer, net) -> None:
    server.route("GET", "/works/OL82536W.json", recorded("real/openlibrary_work_OL82536W"))

    async def go():
        async with net() as client:
            provider = OpenLibraryProvider(client, server.url)
            azkaban = Candidate(provider="openlibrary", provider_id="OL82536W",
                                title="Harry Potter and the Prisoner of Azkaban",
                                contributors=[Contributor("J. K. Rowling", "author")],
                                identifiers={"openlibrary": "OL82536W"})
            return await provider.details(azkaban)

    azkaban = asyncio.run(go())
    assert azkaban.description.startswith("For Harry Potter, it\u2019s the start of another far-from-ordinary year")
    assert "\r" not in azkaban.description and "\n\nIt turns out that Sirius Black" in azkaban.description
    # The record's Markdown link to its source is a reference, not part of the description.
    assert "[1]" not in azkaban.description and "jkrowling.com" not in azkaban.description
    assert azkaban.authors == ["J. K. Rowling"]  # a key no answer named keeps the name the book had
    assert azkaban.cover_url.endswith("/b/id/10580435-L.jpg")  # the first of its covers; -1 is no cover


def test_a_work_author_the_search_answer_did_not_name_is_named_by_the_author_record(server: LocalServer, net) -> None:
    # The search doc pairs only some keys with names (here none for the co-author): the author's own
    # record names them, one request each, and nobody the work lists is lost.
    server.route("GET", "/search.json", Reply(body={"docs": [
        {"key": "/works/OL1W", "title": "Good Omens", "author_key": ["OL1A", "OL3A"],
         "author_name": ["Terry Pratchett", "Stephen Briggs"]}]}))
    server.route("GET", "/works/OL1W.json", Reply(body={"key": "/works/OL1W", "authors": [
        {"author": {"key": "/authors/OL1A"}, "type": {"key": "/type/author_role"}},
        {"author": {"key": "/authors/OL2A"}, "type": {"key": "/type/author_role"}}]}))
    server.route("GET", "/authors/OL2A.json", Reply(body={"key": "/authors/OL2A", "name": "Neil Gaiman"}))

    (omens,) = lookup(net, server, Query(title="Good Omens"))

    assert omens.authors == ["Terry Pratchett", "Neil Gaiman"]
