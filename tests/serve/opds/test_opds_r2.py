"""Both OPDS catalogs as the Thorium reader reads them: Readium's r2-opds-js parses the OPDS 2.0 JSON and
the OPDS 1.2 Atom (converted to OPDS 2 as Thorium does), and what it read is the library."""

from __future__ import annotations

import httpx
import pytest

from tests.parsers import r2_opds

pytestmark = pytest.mark.skipif(r2_opds.missing() is not None, reason=str(r2_opds.missing()))


def read(kind: str, url: str) -> dict:
    answer = httpx.get(url)
    assert answer.status_code == 200
    found = r2_opds.read(kind, answer.text)
    assert "problems" not in found, found
    return found


@pytest.mark.parametrize(("kind", "root"), [("opds2", "/opds/v2"), ("opds1", "/opds")])
def test_thorium_walks_from_the_root_to_a_series_in_reading_order(opds_server, kind, root):
    start = read(kind, opds_server + root)
    assert start["title"] == "BookDesk library"
    ways = {link["title"]: link["href"] for link in start["navigation"]}
    assert list(ways) == ["Recently added", "Authors", "Series", "Tags", "Languages", "Read state"]
    [earthsea] = read(kind, ways["Series"])["navigation"]
    books = read(kind, earthsea["href"])["publications"]
    assert [b["title"] for b in books] == ["A Wizard of Earthsea", "The Tombs of Atuan", "The Farthest Shore",
                                          "Tales from Earthsea"]
    tombs = books[1]
    assert tombs["authors"] == ["Ursula K. Le Guin"]
    assert sorted(a["type"] for a in tombs["acquisitions"]) == ["application/epub+zip", "audio/mp4"]
    for acquisition in tombs["acquisitions"]:
        assert httpx.head(acquisition["href"]).headers["content-type"] == acquisition["type"]
    assert books[0]["images"] and all(httpx.get(i["href"]).status_code == 200 for i in books[0]["images"])


@pytest.mark.parametrize(("kind", "path"), [("opds2", "/opds/v2/search?query=script"),
                                            ("opds1", "/opds/search?q=script")])
def test_thorium_reads_hostile_text_as_text(opds_server, kind, path):
    [book] = read(kind, opds_server + path)["publications"]
    assert book["title"].startswith('<script>alert("x")</script> & Sons')
    assert book["authors"] == ['O\'Brien <&> "Sons"']


def test_thorium_follows_the_next_page_links(opds_server, monkeypatch):
    from bookdesk.data import opds_queries

    monkeypatch.setattr(opds_queries, "PAGE_SIZE", 3)
    titles, url = [], f"{opds_server}/opds/v2/recent"
    while url:
        page = read("opds2", url)
        titles += [p["title"] for p in page["publications"]]
        url = next((link["href"] for link in page["links"] if "next" in link["rel"]), None)
    assert len(titles) == len(set(titles)) == 7
