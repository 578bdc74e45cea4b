"""The OPDS 2.0 feeds as the Palace Project's parser reads them (``palace-webpub-manifest-parser``: the
OPDS 2.0 JSON schema and its semantic checks): no error, and what it read is the library."""

from __future__ import annotations

import httpx
import pytest
from webpub_manifest_parser.opds2 import OPDS2FeedParserFactory

FEEDS = ["/opds/v2", "/opds/v2/recent", "/opds/v2/authors", "/opds/v2/series", "/opds/v2/tags",
         "/opds/v2/languages", "/opds/v2/states", "/opds/v2/states/finished", "/opds/v2/search?query=earthsea",
         "/opds/v2/search?query=nothing-like-this"]


def palace(url: str):
    result = OPDS2FeedParserFactory().create().parse_json(httpx.get(url).json())
    assert [str(error) for error in result.errors] == []
    return result.root


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_parses_without_an_error(opds_server, path):
    feed = palace(opds_server + path)
    assert feed.metadata.title
    assert any(link.rels == ["self"] for link in feed.links)


def test_what_palace_reads_is_the_library(opds_server):
    root = palace(f"{opds_server}/opds/v2")
    series = palace(next(link.href for link in root.navigation.links if link.title == "Series"))
    [earthsea] = series.navigation.links
    books = palace(earthsea.href)
    titles = [p.metadata.title for p in books.publications]
    assert titles == ["A Wizard of Earthsea", "The Tombs of Atuan", "The Farthest Shore", "Tales from Earthsea"]
    tombs = books.publications[1]
    assert [a.name for a in tombs.metadata.authors] == ["Ursula K. Le Guin"]
    assert sorted(link.type for link in tombs.links) == ["application/epub+zip", "audio/mp4"]
    wizard = books.publications[0]
    assert wizard.metadata.identifier == "urn:isbn:9780547773742"
    assert [image.type for image in wizard.images.links] == ["image/png", "image/jpeg"]  # the cover, its thumbnail


def test_a_book_without_a_cover_gets_one_made_of_its_title(opds_server):
    from lxml import etree

    [hostile] = palace(f"{opds_server}/opds/v2/search?query=script").publications
    [image] = hostile.images.links
    answer = httpx.get(image.href)
    assert (image.type, answer.headers["content-type"]) == ("image/svg+xml", "image/svg+xml")
    svg = etree.fromstring(answer.content)  # the hostile title is text inside it, not markup
    assert "".join(svg.itertext()).startswith('<script>alert("x")</script>')
