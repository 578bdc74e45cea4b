"""Searching: the OpenSearch description each catalog points to, and filling its template."""

from __future__ import annotations

import pytest

from bookdesk.core.acquisition.opds import OpdsFeedError, fill_template, format_for, parse_description


def test_standard_ebooks_description_gives_its_atom_template_not_the_web_or_json_one(feed_bytes):
    template = parse_description(feed_bytes("standard_ebooks_opensearch"),
                                 "https://standardebooks.example/ebooks/opensearch")
    assert template == "https://standardebooks.example/feeds/opds/all?query={searchTerms}"


def test_kavita_and_komga_templates_are_made_absolute_against_the_description(feed_bytes):
    kavita = parse_description(feed_bytes("kavita_opensearch"), "http://kavita.local:5000/api/opds/k3y-1234/search")
    komga = parse_description(feed_bytes("komga_opensearch"), "http://komga.local:25600/opds/v1.2/search")

    assert kavita == "http://kavita.local:5000/api/opds/k3y-1234/series?query={searchTerms}"
    assert komga == "http://komga.local:25600/opds/v1.2/series?search={searchTerms}"


def test_optional_parameters_are_left_empty_and_terms_are_encoded(feed_bytes):
    template = parse_description(feed_bytes("gutenberg_opensearch"), "http://gutenberg.example/catalog/osd-books.xml")

    assert fill_template(template, "  pride & prejudice ") == (
        "http://gutenberg.example/ebooks/search.opds/?query=pride%20%26%20prejudice&start_index=")


def test_required_paging_parameters_start_where_the_server_counts_from():
    description = (b'<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">'
                   b'<Url type="application/atom+xml" indexOffset="0" '
                   b'template="/s?q={searchTerms}&amp;i={startIndex}&amp;p={startPage}&amp;n={count?}"/>'
                   b'</OpenSearchDescription>')
    template = parse_description(description, "http://c.example/osd.xml")

    assert fill_template(template, "Zoë/1") == "http://c.example/s?q=Zo%C3%AB%2F1&i=0&p=1&n="


def test_a_description_without_an_atom_template_is_an_error():
    description = (b'<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">'
                   b'<Url type="text/html" template="/s?q={searchTerms}"/></OpenSearchDescription>')
    with pytest.raises(OpdsFeedError, match="no search address"):
        parse_description(description, "http://c.example/osd.xml")


@pytest.mark.parametrize(("mime", "href", "expected"), [
    ("application/epub+zip", "", "epub"),
    ("application/epub+zip; charset=binary", "", "epub"),
    ("application/x-mobipocket-ebook", "", "mobi"),
    ("application/vnd.amazon.ebook", "", "azw3"),
    ("application/x-mobi8-ebook", "", "azw3"),
    ("application/pdf", "", "pdf"),
    ("application/vnd.comicbook+zip", "", "cbz"),
    ("application/x-cbz", "", "cbz"),
    ("application/x-cbr", "", "cbr"),
    ("audio/mp4", "", "m4b"),
    ("audio/x-m4b", "", "m4b"),
    ("audio/mpeg", "", "mp3"),
    ("text/fb2+xml", "", "fb2"),
    ("application/zip", "/file/Issue%201.cbz", "cbz"),
    ("application/octet-stream", "/get/book.kepub.epub", "kepub"),
    ("", "/files/story.epub?token=1", "epub"),
    ("application/zip", "/file", None),
    ("text/html", "/read/book.epub", None),
    ("image/jpeg", "/cover.jpg", None),
])
def test_mime_types_map_to_formats(mime, href, expected):
    assert format_for(mime, href) == expected
