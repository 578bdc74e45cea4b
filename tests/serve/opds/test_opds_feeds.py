"""The OPDS feeds of a real library, asked over real HTTP and read back by BookDesk's own OPDS client
(OPDS 1.2) and as JSON (OPDS 2.0): every way in, reading order, paging, search and hostile text."""

from __future__ import annotations

import httpx
import pytest

from bookdesk.core.acquisition.opds.feed import parse_feed
from bookdesk.core.acquisition.opds.opensearch import fill_template, parse_description
from bookdesk.data import opds_queries
from tests.serve.opds.conftest import HOSTILE_AUTHOR, HOSTILE_TAG, HOSTILE_TITLE

# By sort name: '"Sons", O'Brien <&>', "de Saint-Exupéry, Antoine", "Herbert, Frank", "Le Guin, Ursula K."
AUTHORS = [HOSTILE_AUTHOR, "Antoine de Saint-Exupéry", "Frank Herbert", "Ursula K. Le Guin"]


def atom(url: str):
    answer = httpx.get(url)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/atom+xml;profile=opds-catalog")
    return parse_feed(answer.content, url)


def opds2(url: str) -> dict:
    answer = httpx.get(url)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/opds+json"
    return answer.json()


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


def follow(feed, title: str):
    entry = next(e for e in feed.entries if e.title == title)
    return atom(entry.navigation_url)


def test_the_root_feeds_list_every_way_into_the_library(opds_server):
    root = atom(f"{opds_server}/opds")
    assert titles(root) == ["Recently added", "Authors", "Series", "Tags", "Languages", "Read state"]
    assert root.search_description_url == f"{opds_server}/opds/opensearch.xml"
    description = httpx.get(root.search_description_url)
    assert description.headers["content-type"] == "application/opensearchdescription+xml"
    template = parse_description(description.content, root.search_description_url)
    assert titles(atom(fill_template(template, "wizard"))) == ["A Wizard of Earthsea"]
    second = opds2(f"{opds_server}/opds/v2")
    assert [n["title"] for n in second["navigation"]] == titles(root)
    assert all(n["href"].startswith(f"{opds_server}/opds/v2/") for n in second["navigation"])
    search = next(link for link in second["links"] if link["rel"] == "search")
    assert search["templated"] and search["href"] == f"{opds_server}/opds/v2/search{{?query}}"


def test_recently_added_lists_the_books_you_have_newest_first(opds_server, opds_library):
    feed = atom(f"{opds_server}/opds/recent")
    assert titles(feed) == [HOSTILE_TITLE.replace("\x0b", ""), "Le Petit Prince", "Dune", "The Tombs of Atuan",
                            "Tales from Earthsea", "A Wizard of Earthsea", "The Farthest Shore"]
    assert "The Other Wind" not in titles(feed)  # a wanted placeholder has no file to give
    assert "Kept Elsewhere" not in titles(feed)  # its one file is outside the library and no calibre library


def test_a_file_outside_the_library_is_not_served_even_by_its_id(opds_server, opds_library):
    from bookdesk.serve.context import ServeContext

    with ServeContext(library=opds_library.folder).reading() as connection:
        [(file_id,)] = connection.execute("SELECT id FROM files WHERE work_id = ?",
                                          [opds_library.ids["in_place"]]).fetchall()
    answer = httpx.get(f"{opds_server}/opds/files/{file_id}/x.epub")
    assert answer.status_code == 404 and "outside" not in answer.text


def test_a_series_lists_its_books_in_reading_order_the_unnumbered_last(opds_server):
    series = atom(f"{opds_server}/opds/series")
    assert [(e.title, e.summary) for e in series.entries] == [("Earthsea Cycle", "4 books")]
    books = follow(series, "Earthsea Cycle")
    assert titles(books) == ["A Wizard of Earthsea", "The Tombs of Atuan", "The Farthest Shore",
                             "Tales from Earthsea"]
    assert [(b.series, b.series_index) for b in books.entries][:2] == [("Earthsea Cycle", 1.0), ("Earthsea Cycle", 2.0)]
    second = opds2(f"{opds_server}/opds/v2/series")
    listed = opds2(second["navigation"][0]["href"])
    assert [p["metadata"]["title"] for p in listed["publications"]] == titles(books)
    assert listed["publications"][1]["metadata"]["belongsTo"] == {"series": [{"name": "Earthsea Cycle",
                                                                              "position": 2.0}]}


def test_authors_tags_languages_and_read_states_lead_to_their_books(opds_server):
    authors = atom(f"{opds_server}/opds/authors")
    assert titles(authors) == AUTHORS
    assert len(follow(authors, "Ursula K. Le Guin").entries) == 4
    tags = atom(f"{opds_server}/opds/tags")
    assert titles(tags) == ["Fantasy", HOSTILE_TAG, "Science Fiction"]
    assert titles(follow(tags, HOSTILE_TAG)) == [HOSTILE_TITLE.replace("\x0b", "")]
    assert titles(follow(tags, "Fantasy")) == ["The Tombs of Atuan", "A Wizard of Earthsea"]
    languages = atom(f"{opds_server}/opds/languages")
    # "Kept Elsewhere" is neither counted nor listed: its file is in no folder served.
    assert [(e.title, e.summary) for e in languages.entries] == [("en", "6 books"), ("fr", "1 book")]
    assert len(follow(languages, "en").entries) == 6
    assert titles(follow(languages, "fr")) == ["Le Petit Prince"]
    states = atom(f"{opds_server}/opds/states")
    assert [(e.title, e.summary) for e in states.entries] == [("Unread", "6 books"), ("Reading", "0 books"),
                                                             ("Finished", "1 book")]
    assert titles(follow(states, "Finished")) == ["Le Petit Prince"]


def test_a_book_entry_carries_its_metadata_cover_and_a_link_per_file_with_its_type(opds_server):
    feed = atom(f"{opds_server}/opds/series")
    books = {e.title: e for e in follow(feed, "Earthsea Cycle").entries}
    wizard = books["A Wizard of Earthsea"]
    assert (wizard.authors, wizard.language, wizard.publisher, wizard.summary, wizard.categories) == (
        ("Ursula K. Le Guin",), "en", "Parnassus", "A boy becomes a wizard.", ("Fantasy",))
    assert wizard.cover_url == wizard.thumbnail_url.replace("thumbnails", "covers")
    assert httpx.get(wizard.cover_url).headers["content-type"] == "image/png"
    tombs = books["The Tombs of Atuan"]
    offered = {(a.type, a.format, a.size) for a in tombs.acquisitions}
    assert offered == {("application/epub+zip", "epub", 4000), ("audio/mp4", "m4b", 300_000)}
    dune = atom(f"{opds_server}/opds/search?q=dune").entries[0]
    assert [(a.type, a.format) for a in dune.acquisitions] == [("audio/mpeg", "mp3")]
    second = opds2(f"{opds_server}/opds/v2/search?query=dune")["publications"][0]
    assert second["metadata"]["@type"] == "http://schema.org/Audiobook"
    assert second["links"][0]["type"] == "audio/mpeg"


def test_search_finds_books_as_the_library_search_does_newest_first(opds_server, monkeypatch):
    assert titles(atom(f"{opds_server}/opds/search?q=earthsea")) == [  # newest first
        "The Tombs of Atuan", "Tales from Earthsea", "A Wizard of Earthsea", "The Farthest Shore"]
    assert titles(atom(f"{opds_server}/opds/search?q=saint exupery")) == ["Le Petit Prince"]
    assert titles(atom(f"{opds_server}/opds/search?q=%22%29%28*")) == []  # FTS syntax is plain text
    assert opds2(f"{opds_server}/opds/v2/search?query=other%20wind")["publications"] == []  # wanted only
    monkeypatch.setattr(opds_queries, "PAGE_SIZE", 3)
    first = atom(f"{opds_server}/opds/search?q=earthsea")
    assert titles(first) + titles(atom(first.next_url)) == [
        "The Tombs of Atuan", "Tales from Earthsea", "A Wizard of Earthsea", "The Farthest Shore"]


def test_paging_walks_every_book_once_in_order(opds_server, monkeypatch):
    monkeypatch.setattr(opds_queries, "PAGE_SIZE", 2)
    seen, url, pages = [], f"{opds_server}/opds/recent", 0
    while url:
        feed = atom(url)
        assert len(feed.entries) <= 2
        seen += titles(feed)
        url, pages = feed.next_url, pages + 1
    assert pages == 4 and len(seen) == 7 and len(set(seen)) == 7
    names, url = [], f"{opds_server}/opds/v2/authors"
    while url:
        document = opds2(url)
        names += [n["title"] for n in document["navigation"]]
        url = next((link["href"] for link in document["links"] if link["rel"] == "next"), None)
    assert names == AUTHORS


@pytest.mark.parametrize("address", [
    "/opds/recent?after=not-a-cursor", "/opds/v2/recent?after=WzEsMiwzXQ", "/opds/authors?after=" + "A" * 5000,
    "/opds/search?q=" + "x" * 300, "/opds/tags/books",
])
def test_a_page_address_not_made_here_is_refused_with_a_message_and_the_ref(opds_server, address):
    answer = httpx.get(opds_server + address)
    assert answer.status_code == 400
    problem = answer.json()["error"]
    assert problem["message"] and problem["ref"] == answer.headers["x-request-id"]


HUGE = "99999999999999999999999"  # past SQLite's INTEGER: it must be no book, not a crash


@pytest.mark.parametrize("address", ["/opds/authors/99999", "/opds/v2/series/99999", "/opds/states/lost",
                                     "/opds/covers/99999", "/opds/files/99999/x.epub",
                                     f"/opds/files/{HUGE}/x", f"/opds/covers/{HUGE}", f"/opds/thumbnails/{HUGE}",
                                     f"/opds/authors/{HUGE}", f"/opds/v2/series/{HUGE}", "/opds/covers/0"])
def test_what_is_not_in_the_library_is_not_found(opds_server, address):
    answer = httpx.get(opds_server + address)
    assert answer.status_code == 404
    assert "Traceback" not in answer.text and answer.json()["error"]["ref"]


def test_hostile_text_from_the_catalog_is_escaped_and_reads_back_as_it_was(opds_server):
    feed = atom(f"{opds_server}/opds/search?q=script")
    [entry] = feed.entries
    assert entry.title == HOSTILE_TITLE.replace("\x0b", "")  # XML cannot hold \x0b at all
    assert entry.authors == (HOSTILE_AUTHOR,) and entry.categories == (HOSTILE_TAG,)
    assert entry.summary == "<p>bold & </feed> </p>"
    assert entry.acquisitions[0].href.endswith("/%3Codd%3E%20%26%20name.epub")
    second = opds2(f"{opds_server}/opds/v2/search?query=script")["publications"][0]
    assert second["metadata"]["title"] == HOSTILE_TITLE
