"""OPDS 2.0: a ``Feed`` as the JSON document of https://drafts.opds.io/opds-2.0 (navigation,
publications with the Readium Web Publication Manifest's metadata, links and images)."""

from __future__ import annotations

from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.serve.opds.feeds import Feed, Heading
from bookdesk.serve.opds.links import THUMBNAIL_TYPE, Links, acquisitions, cover_type, timestamp
from bookdesk.serve.opds.placeholder import SVG_TYPE

OPDS2_TYPE = "application/opds+json"
PUBLICATION_TYPE = "application/opds-publication+json"
ACQUISITION_REL = "http://opds-spec.org/acquisition"

JsonObject = dict[str, object]


def feed_document(feed: Feed, links: Links) -> JsonObject:
    own: list[JsonObject] = [
        {"rel": "self", "href": links.feed(feed.path), "type": OPDS2_TYPE},
        {"rel": "start", "href": links.feed(""), "type": OPDS2_TYPE},
        {"rel": "search", "href": links.feed("search") + "{?query}", "type": OPDS2_TYPE, "templated": True},
    ]
    if feed.up_path is not None:
        own.append({"rel": "up", "href": links.feed(feed.up_path), "type": OPDS2_TYPE})
    if feed.next_path is not None:
        own.append({"rel": "next", "href": links.feed(feed.next_path), "type": OPDS2_TYPE})
    document: JsonObject = {"metadata": {"title": feed.title}, "links": own}
    if feed.navigation:
        document["navigation"] = [_heading(heading, links) for heading in feed.headings]
    else:
        document["publications"] = [_publication(book, feed.updated.get(book.id), links) for book in feed.books]
    return document


def _heading(heading: Heading, links: Links) -> JsonObject:
    found: JsonObject = {"href": links.feed(heading.path), "title": heading.title, "type": OPDS2_TYPE,
                         "rel": "subsection"}
    if heading.count is not None:
        found["properties"] = {"numberOfItems": heading.count}
    return found


def _publication(book: WorkDetail, updated: str | None, links: Links) -> JsonObject:
    offered = acquisitions(book, links)
    audio = bool(offered) and all(a.audio for a in offered)
    metadata: JsonObject = {
        "@type": "http://schema.org/Audiobook" if audio else "http://schema.org/Book",
        "identifier": _identifier(book, links),
        "title": book.title,
        "author": [{"name": name} for name in book.authors] or [{"name": "Unknown Author"}],
    }
    if book.subtitle:
        metadata["subtitle"] = book.subtitle
    optional = {"language": book.language, "publisher": book.publisher, "description": book.description,
                "published": book.first_published, "modified": timestamp(updated) if updated else None}
    metadata.update({key: value for key, value in optional.items() if value})
    narrators = [c.name for c in book.contributors if c.role == "narrator"]
    if narrators:
        metadata["narrator"] = [{"name": name} for name in narrators]
    if book.tags:
        metadata["subject"] = [{"name": tag} for tag in book.tags]
    durations = [f.duration_seconds for f in book.files if f.media_kind == "audiobook" and f.duration_seconds]
    if audio and durations:
        metadata["duration"] = max(durations)
    if book.series:
        metadata["belongsTo"] = {"series": [_series(ref.name, ref.sort_key) for ref in book.series]}
    publication: JsonObject = {
        "metadata": metadata,
        "links": [{"rel": ACQUISITION_REL, "href": a.href, "type": a.type, "title": a.title,
                   "properties": {"size": a.size}} for a in offered],
    }
    if book.cover_path:
        kind = cover_type(book.cover_path)
        publication["images"] = [{"href": links.cover(book.id), "type": kind, "rel": "cover"},
                                 {"href": links.thumbnail(book.id), "type": THUMBNAIL_TYPE, "rel": "thumbnail"}]
    else:  # OPDS 2.0 requires an image: the cover address makes one of the title (placeholder.py)
        publication["images"] = [{"href": links.cover(book.id), "type": SVG_TYPE, "rel": "cover"}]
    return publication


def _identifier(book: WorkDetail, links: Links) -> str:
    isbn = book.identifiers.get("isbn")
    return f"urn:isbn:{isbn}" if isbn else links.book_id(book)


def _series(name: str, position: float | None) -> JsonObject:
    found: JsonObject = {"name": name}
    if position is not None:
        found["position"] = position
    return found
