"""Every OPDS 1.2 feed BookDesk serves is valid against the OPDS 1.2 RELAX NG schema (with Atom's, RFC 4287),
read by lxml from tests/fixtures/opds-1.2 (README.md there names their source and licence)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from lxml import etree

from bookdesk.data import opds_queries

SCHEMA = Path(__file__).resolve().parents[2] / "fixtures" / "opds-1.2" / "opds.rng"
FEEDS = ["/opds", "/opds/recent", "/opds/authors", "/opds/series", "/opds/tags", "/opds/languages", "/opds/states",
         "/opds/states/unread", "/opds/tags/books?tag=Fantasy", "/opds/languages/books?code=fr",
         "/opds/search?q=earthsea", "/opds/search?q=script", "/opds/search?q=nothing-like-this"]


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def document(url: str) -> etree._ElementTree:
    answer = httpx.get(url)
    assert answer.status_code == 200, answer.text
    return etree.ElementTree(etree.fromstring(answer.content))


@pytest.mark.parametrize("path", FEEDS)
def test_each_feed_is_valid_opds_1_2(opds_server, schema, path):
    feed = document(opds_server + path)
    assert schema.validate(feed), schema.error_log


def test_the_feeds_of_one_author_and_one_series_and_a_second_page_are_valid(opds_server, schema, monkeypatch):
    monkeypatch.setattr(opds_queries, "PAGE_SIZE", 2)
    atom = "{http://www.w3.org/2005/Atom}"
    for listing in ("/opds/authors", "/opds/series"):
        first = document(opds_server + listing)
        for link in first.iter(f"{atom}link"):
            if link.get("rel") in ("subsection", "next"):
                feed = document(link.get("href"))
                assert schema.validate(feed), (link.get("href"), schema.error_log)


def test_the_schema_refuses_what_opds_forbids(opds_server, schema):
    """The schema bites: a feed with no id, or with a link whose address holds a space, is refused."""
    feed = document(f"{opds_server}/opds/recent")
    root = feed.getroot()
    root.remove(root.find("{http://www.w3.org/2005/Atom}id"))
    assert not schema.validate(feed)
    feed = document(f"{opds_server}/opds/recent")
    feed.getroot().find("{http://www.w3.org/2005/Atom}link").set("href", "http://x/search?q={searchTerms} x")
    assert not schema.validate(feed)
