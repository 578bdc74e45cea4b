"""The book-relevant parts of an XMP packet (Dublin Core, XMP basic, PRISM, calibre's series).

XMP writes one property in several shapes: a child element holding plain text, an
``rdf:Alt``/``rdf:Seq``/``rdf:Bag`` of ``rdf:li``, or an attribute on ``rdf:Description``.
``_values`` reads all of them, so each field below is one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.core.importer.readers.tag_values import clean, strip_html
from bookdesk.data.catalog_rows import SeriesRef
from bookdesk.vocabulary.positions import position_label

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
XMP = "http://ns.adobe.com/xap/1.0/"
XMPIDQ = "http://ns.adobe.com/xmp/Identifier/qual/1.0/"
PDF = "http://ns.adobe.com/pdf/1.3/"
CALIBRE = "http://calibre-ebook.com/xmp-namespace"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_MAX_VALUES = 200  # a property with thousands of entries is hostile, not a book


@dataclass(slots=True)
class Packet:
    title: str | None = None
    creators: list[str] = field(default_factory=list)
    description: str | None = None
    subjects: list[str] = field(default_factory=list)
    language: str | None = None
    publisher: str | None = None
    date: str | None = None  # dc:date: when the work was published
    created: str | None = None  # xmp:CreateDate: when the file was made
    identifiers: dict[str, str] = field(default_factory=dict)
    series: list[SeriesRef] = field(default_factory=list)


def parse(root: etree._Element) -> Packet:
    packet = Packet()
    packet.title = next(iter(_values(root, DC, "title")), None)
    packet.creators = _values(root, DC, "creator")
    packet.description = strip_html(next(iter(_values(root, DC, "description")), None))
    packet.subjects = _values(root, DC, "subject") or _keywords(root)
    packet.language = next(iter(_values(root, DC, "language")), None)
    packet.publisher = next(iter(_values(root, DC, "publisher")), None)
    packet.date = next(iter(_values(root, DC, "date")), None)
    packet.created = next(iter(_values(root, XMP, "CreateDate")), None)
    packet.identifiers = _identifiers(root)
    packet.series = _series(root)
    return packet


def _values(root: etree._Element, namespace: str, local: str) -> list[str]:
    """Every value of one property, in document order; for ``rdf:Alt`` the x-default first."""
    tag = f"{{{namespace}}}{local}"
    found: list[str] = []
    for element in root.iter(tag):
        items = [li for li in element.iter(f"{{{RDF}}}li")]
        if items:
            items.sort(key=lambda li: li.get(_XML_LANG) != "x-default")
            found.extend(v for v in (clean("".join(li.itertext())) for li in items[:_MAX_VALUES]) if v)
        elif (text := clean("".join(element.itertext()))) is not None:
            found.append(text)
    for description in root.iter(f"{{{RDF}}}Description"):
        if (text := clean(description.get(tag))) is not None:
            found.append(text)
    return found[:_MAX_VALUES]


def _keywords(root: etree._Element) -> list[str]:
    words = next(iter(_values(root, PDF, "Keywords")), "")
    return [w.strip() for w in words.replace(";", ",").split(",") if w.strip()]


def _identifiers(root: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    candidates: list[tuple[str, str]] = [("", v) for v in _values(root, DC, "identifier")]
    # PRISM has had several namespace versions; any ``isbn`` property of theirs will do.
    candidates += [("isbn", clean(e.text) or "") for e in root.iter("{*}isbn")]
    for element in root.iter(f"{{{XMP}}}Identifier"):
        for li in element.iter(f"{{{RDF}}}li"):
            scheme = li.get(f"{{{XMPIDQ}}}Scheme") or next((clean(e.text) for e in li.iter(f"{{{XMPIDQ}}}Scheme")), "")
            value = next((clean(e.text) for e in li.iter(f"{{{RDF}}}value")), None) or clean(li.text) or ""
            candidates.append(((scheme or "").lower(), value))
    for scheme, value in candidates[:_MAX_VALUES]:
        prefix, colon, rest = value.partition(":")
        if not scheme and colon and prefix.lower() in ("isbn", "asin", "amazon", "urn"):
            scheme = "asin" if prefix.lower() in ("asin", "amazon") else ""
        if scheme in ("asin", "amazon", "mobi-asin") and (asin := normalise_asin(value.split(":")[-1])):
            out.setdefault("asin", asin)
        elif scheme in ("", "isbn") and (isbn := normalise_isbn(value)):
            out.setdefault("isbn", isbn)
    return out


def _series(root: etree._Element) -> list[SeriesRef]:
    """calibre writes ``<calibre:series><rdf:value>Name</rdf:value><calibreSI:series_index>2.0``."""
    for element in root.iter(f"{{{CALIBRE}}}series"):
        name = next((clean(e.text) for e in element.iter(f"{{{RDF}}}value")), None) or clean(element.text)
        index = next((e.text for e in element.iter("{*}series_index")), None)
        if name:
            return [SeriesRef(name=name, label=position_label(index))]
    return []
