"""OPDS 1.2: a ``Feed`` as an Atom document, and the OpenSearch description that says how to search.

Every text from the catalog goes in through lxml, which escapes it; characters XML cannot hold at all
(a control character in a title read from a file) are dropped first, or lxml would refuse the feed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml import etree

from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.serve.opds.feeds import Feed, Heading
from bookdesk.serve.opds.links import THUMBNAIL_TYPE, Links, acquisitions, cover_type, timestamp

ATOM = "http://www.w3.org/2005/Atom"
OPDS = "http://opds-spec.org/2010/catalog"
DC = "http://purl.org/dc/terms/"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
SCHEMA = "http://schema.org/"
THREAD = "http://purl.org/syndication/thread/1.0"
NAMESPACES = {None: ATOM, "dc": DC, "opds": OPDS, "opensearch": OPENSEARCH, "schema": SCHEMA, "thr": THREAD}

NAVIGATION_TYPE = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
ACQUISITION_REL = "http://opds-spec.org/acquisition"

# What XML 1.0 cannot hold: C0 controls but tab, newline and carriage return; lone surrogates; U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def feed_document(feed: Feed, links: Links) -> bytes:
    root = etree.Element(f"{{{ATOM}}}feed", nsmap=NAMESPACES)
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "updated", _feed_updated(feed))
    author = etree.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", "BookDesk")
    own_type = NAVIGATION_TYPE if feed.navigation else ACQUISITION_TYPE
    _link(root, "self", links.feed(feed.path), own_type)
    _link(root, "start", links.feed(""), NAVIGATION_TYPE)
    if feed.up_path is not None:
        _link(root, "up", links.feed(feed.up_path), NAVIGATION_TYPE)
    if feed.next_path is not None:
        _link(root, "next", links.feed(feed.next_path), own_type)
    # OPDS 1.2 searches through the OpenSearch description alone: a templated href ("{searchTerms}") is not
    # a URI its schema accepts.
    _link(root, "search", links.feed("opensearch.xml"), OPENSEARCH_TYPE)
    for heading in feed.headings:
        _heading(root, heading, links, feed)
    for book in feed.books:
        _book(root, book, feed.updated.get(book.id), links)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def opensearch_document(links: Links) -> bytes:
    root = etree.Element(f"{{{OPENSEARCH}}}OpenSearchDescription", nsmap={None: OPENSEARCH})
    for name, value in (("ShortName", "BookDesk"), ("Description", "Search the BookDesk library"),
                        ("InputEncoding", "UTF-8"), ("OutputEncoding", "UTF-8")):
        etree.SubElement(root, f"{{{OPENSEARCH}}}{name}").text = value
    etree.SubElement(root, f"{{{OPENSEARCH}}}Url", type=ACQUISITION_TYPE,
                     template=links.search_template("{searchTerms}"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _heading(parent: etree._Element, heading: Heading, links: Links, feed: Feed) -> None:
    entry = etree.SubElement(parent, f"{{{ATOM}}}entry")
    _text(entry, "title", heading.title)
    _text(entry, "id", heading.id)
    _text(entry, "updated", _feed_updated(feed))
    if heading.summary:
        _text(entry, "content", heading.summary).set("type", "text")
    link = _link(entry, "subsection", links.feed(heading.path),
                 ACQUISITION_TYPE if heading.books else NAVIGATION_TYPE)
    if heading.count is not None:
        link.set(f"{{{THREAD}}}count", str(heading.count))


def _book(parent: etree._Element, book: WorkDetail, updated: str | None, links: Links) -> None:
    entry = etree.SubElement(parent, f"{{{ATOM}}}entry")
    _text(entry, "title", book.title)
    _text(entry, "id", links.book_id(book))
    _text(entry, "updated", timestamp(updated) if updated else _now())
    for name in book.authors:
        _text(etree.SubElement(entry, f"{{{ATOM}}}author"), "name", name)
    for namespace, name, value in ((DC, "language", book.language), (DC, "publisher", book.publisher),
                                   (DC, "issued", book.first_published)):
        if value:
            etree.SubElement(entry, f"{{{namespace}}}{name}").text = clean(value)
    for scheme, value in sorted(book.identifiers.items()):
        etree.SubElement(entry, f"{{{DC}}}identifier").text = clean(f"urn:{scheme}:{value}")
    for tag in book.tags:
        etree.SubElement(entry, f"{{{ATOM}}}category", term=clean(tag), label=clean(tag))
    for ref in book.series[:1]:  # schema.org's Series, as calibre-web and Library Simplified write it
        series = etree.SubElement(entry, f"{{{SCHEMA}}}Series", name=clean(ref.name))
        if ref.sort_key is not None:
            series.set("position", f"{ref.sort_key:g}")
    if book.description:
        _text(entry, "summary", book.description).set("type", "text")
    if book.cover_path:
        kind = cover_type(book.cover_path)
        _link(entry, "http://opds-spec.org/image", links.cover(book.id), kind)
        _link(entry, "http://opds-spec.org/image/thumbnail", links.thumbnail(book.id), THUMBNAIL_TYPE)
    for acquisition in acquisitions(book, links):
        link = _link(entry, ACQUISITION_REL, acquisition.href, acquisition.type)
        link.set("length", str(acquisition.size))
        link.set("title", acquisition.title)


def _feed_updated(feed: Feed) -> str:
    """The latest change among the feed's books; for a feed of headings, now."""
    return timestamp(max(feed.updated.values())) if feed.updated else _now()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = clean(value)
    return element


def _link(parent: etree._Element, rel: str, href: str, kind: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ATOM}}}link", rel=rel, href=href, type=kind)


def clean(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", value)
