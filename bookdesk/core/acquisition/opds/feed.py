"""An OPDS 1.2 feed (Atom) read into ``OpdsFeed``: navigation and acquisition entries, paging and
search links, covers, and what calibre, Kavita, Komga, Standard Ebooks and Project Gutenberg say
about each book, every address made absolute."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime

from lxml import etree

from bookdesk.core.acquisition.opds.atom_text import calibre_fields, text_of
from bookdesk.core.acquisition.opds.document import ATOM, OPENSEARCH, parse_document
from bookdesk.core.acquisition.opds.entries import ACQUISITION, OpdsAcquisition, OpdsEntry, OpdsFeed
from bookdesk.core.acquisition.opds.formats import format_for, media_type
from bookdesk.core.acquisition.opds.links import absolute

OPDS = "http://opds-spec.org/2010/catalog"
SCHEMA = ("http://schema.org/", "https://schema.org/")
DC = ("http://purl.org/dc/terms/", "http://purl.org/dc/elements/1.1/")
OPENSEARCH_DESCRIPTION = "application/opensearchdescription+xml"

_A = f"{{{ATOM}}}"
_IMAGE_RELS = ("http://opds-spec.org/image", "http://opds-spec.org/cover", "x-stanza-cover-image")
_THUMBNAIL_RELS = ("http://opds-spec.org/image/thumbnail", "http://opds-spec.org/thumbnail",
                   "x-stanza-cover-image-thumbnail")
# Links inside an entry that lead to other feeds but are not where the entry itself leads.
_NOT_NAVIGATION = frozenset({"self", "alternate", "related", "up", "start", "first", "last", "next",
                             "previous", "prev", "search", "edit", "replies"})
# calibre writes every author of a book into one <name>, joined with " & ".
_AUTHOR_SEPARATOR = re.compile(r"\s+&\s+")


def parse_feed(data: bytes, url: str) -> OpdsFeed:
    """The feed in ``data``, fetched from ``url``. Raises OpdsFeedError for anything that is not one."""
    root = parse_document(data, url)
    links = _links(root, url)
    search_template = search_description = None
    for rel, kind, href in links:
        if rel != "search":
            continue
        if kind == OPENSEARCH_DESCRIPTION:
            search_description = search_description or href
        elif "{searchTerms}" in href and (not kind or kind.startswith("application/atom+xml")):
            search_template = search_template or href
    return OpdsFeed(
        url=url,
        title=text_of(root.find(_A + "title")) or url,
        id=(root.findtext(_A + "id") or "").strip(),
        entries=tuple(_entry(e, url) for e in root.iterfind(_A + "entry")),
        next_url=_feed_link(links, "next"),
        previous_url=_feed_link(links, "previous") or _feed_link(links, "prev"),
        up_url=_feed_link(links, "up"),
        start_url=_feed_link(links, "start"),
        search_template=search_template,
        search_description_url=search_description,
        total_results=_integer(root.findtext(f"{{{OPENSEARCH}}}totalResults")),
        icon_url=absolute(root.findtext(_A + "icon"), root, url),
    )


def _links(element: etree._Element, url: str) -> list[tuple[str, str, str]]:
    """(rel, MIME type, absolute href) of each atom:link directly under ``element``."""
    found = []
    for link in element.iterfind(_A + "link"):
        href = _href(link, url)
        if href is not None:
            found.append(((link.get("rel") or "").strip(), media_type(link.get("type")), href))
    return found


def _href(link: etree._Element, url: str) -> str | None:
    return absolute(link.get("href"), link, url)


def _feed_link(links: list[tuple[str, str, str]], rel: str) -> str | None:
    for link_rel, kind, href in links:
        if link_rel == rel and (not kind or kind.startswith("application/atom+xml")):
            return href
    return None


def _entry(element: etree._Element, url: str) -> OpdsEntry:
    summary = text_of(element.find(_A + "summary")) or text_of(element.find(_A + "content"))
    calibre = calibre_fields(summary)
    series, series_index = _schema_series(element)
    acquisitions: list[OpdsAcquisition] = []
    cover = thumbnail = navigation = None
    for link in element.iterfind(_A + "link"):
        href = _href(link, url)
        if href is None:
            continue
        rel = (link.get("rel") or "").strip()
        kind = media_type(link.get("type"))
        if rel.startswith(ACQUISITION):
            acquisitions.append(_acquisition(link, href, rel, kind))
        elif rel in _IMAGE_RELS:
            cover = cover or href
        elif rel in _THUMBNAIL_RELS:
            thumbnail = thumbnail or href
        elif (navigation is None and rel not in _NOT_NAVIGATION and kind.startswith("application/atom+xml")
              and "type=entry" not in (link.get("type") or "").replace(" ", "")):
            navigation = href
    authors = tuple(name for author in element.iterfind(_A + "author")
                    for name in _AUTHOR_SEPARATOR.split((author.findtext(_A + "name") or "").strip()) if name)
    categories = tuple(c.get("label") or c.get("term") or "" for c in element.iterfind(_A + "category"))
    title = text_of(element.find(_A + "title"))
    return OpdsEntry(
        id=(element.findtext(_A + "id") or "").strip() or navigation or title,
        title=title,
        authors=authors,
        summary=calibre.summary,
        language=_dc(element, "language"),
        updated=_date(element.findtext(_A + "updated")),
        published=_date(_dc(element, "issued") or _dc(element, "date")),  # when the book came out
        publisher=_dc(element, "publisher"),
        cover_url=cover,
        thumbnail_url=thumbnail,
        acquisitions=_unique(acquisitions),
        navigation_url=navigation,
        series=series or calibre.series,
        series_index=series_index if series else calibre.series_index,
        categories=tuple(dict.fromkeys(c.strip() for c in (*categories, *calibre.tags) if c.strip())),
    )


def _acquisition(link: etree._Element, href: str, rel: str, kind: str) -> OpdsAcquisition:
    fmt = format_for(kind, href)
    if fmt is None:
        # A link to a full entry or a loan page: what arrives in the end is the innermost indirect type.
        indirect = link.findall(f".//{{{OPDS}}}indirectAcquisition")
        if indirect:
            fmt = format_for(indirect[-1].get("type"))
    title = (link.get("title") or "").strip() or None
    return OpdsAcquisition(href=href, type=kind, format=fmt, rel=rel, size=_integer(link.get("length")),
                           title=title)


def _unique(acquisitions: list[OpdsAcquisition]) -> tuple[OpdsAcquisition, ...]:
    seen: dict[tuple[str, str], OpdsAcquisition] = {}
    for acquisition in acquisitions:
        seen.setdefault((acquisition.href, acquisition.rel), acquisition)
    return tuple(seen.values())


def _schema_series(element: etree._Element) -> tuple[str | None, float | None]:
    """schema.org's Series element (calibre-web, Library Simplified): name and position attributes."""
    for namespace in SCHEMA:
        found = element.find(f"{{{namespace}}}Series")
        if found is not None:
            name = found.get("name") or found.get(f"{{{namespace}}}name")
            position = found.get("position") or found.get(f"{{{namespace}}}position")
            return (name.strip() if name and name.strip() else None), _number(position)
    return None, None


def _dc(element: etree._Element, name: str) -> str | None:
    for namespace in DC:
        value = element.findtext(f"{{{namespace}}}{name}")
        if value and value.strip():
            return value.strip()
    return None


def _date(value: str | None) -> datetime | None:
    text = (value or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text):  # Gutenberg and Standard Ebooks give some years alone
        text += "-01-01"
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(text)
    return None


def _integer(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() else None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
