"""Editing the ``<metadata>`` of an EPUB package document in place.

Only the elements BookDesk writes are touched, and each is found the way BookDesk's EPUB
reader finds it (readers/epub.py), so what is written is what is read back: the title the
reader takes as main, the creators it takes as authors, the first identifier of each kind.
Everything else (other titles, other people, subjects, rights, refinements of elements not
written, comments) stays as it was, in its place.

EPUB 2 gets creators with ``opf:role``/``opf:file-as`` attributes; EPUB 3 gets the
``<meta refines>`` form, because EPUB 3 no longer allows those attributes. The package's
unique identifier is never changed: reading systems key positions and annotations to it, and
font obfuscation uses it as its key.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from bookdesk.core.importer.identifiers import normalise_isbn
from bookdesk.core.importer.readers.epub import _ASIN_SCHEMES, _ONIX_ISBN, _OTHER_SCHEMES, NS
from bookdesk.core.writeback.errors import WritebackError
from bookdesk.core.writeback.metadata import WritableMetadata
from bookdesk.core.writeback.opf_xml import NEW_MARK
from bookdesk.data.catalog_rows import Contributor, SeriesRef

OPF = NS["opf"]
DC = NS["dc"]
_ROLE = f"{{{OPF}}}role"
_FILE_AS = f"{{{OPF}}}file-as"
_SCHEME = f"{{{OPF}}}scheme"
_ID_PREFIXES = ("urn:isbn:", "isbn:", "urn:asin:", "asin:", "amazon:", "mobi-asin:", "audible:")


class OpfEditor:
    """Writes a WritableMetadata into one package document's metadata."""

    def __init__(self, tree: etree._ElementTree) -> None:
        self.root = tree.getroot()
        metadata = self.root.find(f"{{{OPF}}}metadata")
        if metadata is None:
            metadata = self.root.find(".//{*}metadata")
        if metadata is None:
            raise WritebackError("its package document has no metadata")
        self.metadata = metadata
        self.epub3 = (self.root.get("version") or "").strip().startswith("3")
        namespace = etree.QName(metadata).namespace
        self.meta_tag = f"{{{namespace}}}meta" if namespace else "meta"
        self.unique_id = self.root.get("unique-identifier")
        self.ids = {e.get("id") for e in self.root.iter() if isinstance(e.tag, str) and e.get("id")}
        text = metadata.text
        self.indent = text if text and not text.strip() else ""

    def apply(self, meta: WritableMetadata) -> list[SeriesRef]:
        """Write every field ``meta`` knows. Returns the series the reader will find afterwards."""
        if meta.title:
            self.set_title(meta.title, meta.sort_title)
        if meta.authors:
            self.set_authors(meta.authors)
        series = self.set_series(meta.series) if meta.series else []
        if meta.isbn:
            self.set_identifier("isbn", meta.isbn)
        if meta.asin:
            self.set_identifier("asin", meta.asin)
        for name, value in (("language", meta.language), ("publisher", meta.publisher), ("date", meta.date),
                            ("description", meta.description)):
            if value:
                self.set_first(name, value)
        self.touch_modified()
        return series

    # ----- fields ----------------------------------------------------------------------

    def set_title(self, title: str, sort_title: str | None) -> None:
        chosen = None
        for element in self._dc("title"):  # as the reader picks: a "main" title, else the first
            kind = self._refined(element).get("title-type")
            if not _text(element) or kind == "subtitle":
                continue
            if chosen is None or kind == "main":
                chosen = element
        if chosen is None:
            chosen = self._dc_element("title", title)
            self._insert(0, chosen)
        _set_text(chosen, title)
        if sort_title:
            if chosen.get(_FILE_AS) is not None:
                chosen.set(_FILE_AS, sort_title)
            for refine in self._refines_of(chosen, "file-as"):
                _set_text(refine, sort_title)
            for meta in self._named("calibre:title_sort"):
                meta.set("content", sort_title)

    def set_authors(self, authors: tuple[Contributor, ...]) -> None:
        """Replace every creator the reader takes as an author; other people stay."""
        people = [e for e in self.metadata if e.tag in (f"{{{DC}}}creator", f"{{{DC}}}contributor")]
        old = [e for e in people if self._role(e) == "aut"]
        if old:
            at = self.metadata.index(old[0])
        else:
            titles = self._dc("title")
            at = self.metadata.index(titles[-1]) + 1 if titles else 0
        new: list[etree._Element] = []
        for author in authors:
            creator = self._dc_element("creator", author.name)
            if self.epub3:
                creator.set("id", self._new_id("creator"))
                new += [creator,
                        self._meta(refines=creator, prop="role", text="aut", scheme="marc:relators"),
                        self._meta(refines=creator, prop="file-as", text=author.sort_name)]
            else:
                creator.set(_ROLE, "aut")
                creator.set(_FILE_AS, author.sort_name)
                new.append(creator)
        for offset, element in enumerate(new):
            self._insert(at + offset, element)
        for element in old:
            for refine in self._refines_of(element):
                self._remove(refine)
            self._remove(element)

    def set_series(self, series: tuple[SeriesRef, ...]) -> list[SeriesRef]:
        """EPUB 3 collections and calibre's series metas: whichever the file has is updated; a file
        with neither gets calibre's (read by calibre, KOReader and most readers) and, in EPUB 3,
        collections as well."""
        calibre = self._named("calibre:series")
        collections = [m for m in self._metas() if m.get("property") == "belongs-to-collection"
                       and self._refined(m).get("collection-type", "series") in ("series", "set")]
        write_collections = bool(collections) or (self.epub3 and not calibre)
        if write_collections:
            self._write_collections(series, collections)
        if calibre or not collections:
            self._write_calibre(series[0], calibre)
        return list(series) if write_collections else [series[0]]

    def _write_collections(self, series: tuple[SeriesRef, ...], existing: list[etree._Element]) -> None:
        last = existing[-1] if existing else None
        for i, ref in enumerate(series):
            if i < len(existing):
                element = existing[i]
                _set_text(element, ref.name)
            else:
                element = self._meta(prop="belongs-to-collection", text=ref.name)
                element.set("id", self._new_id("series"))
                kind = self._meta(refines=element, prop="collection-type", text="series")
                at = self._after(last) if last is not None else len(self.metadata)
                self._insert(at, element)
                self._insert(at + 1, kind)
                last = kind
            positions = self._refines_of(element, "group-position")
            if ref.label:
                if positions:
                    _set_text(positions[0], ref.label)
                else:
                    if not element.get("id"):
                        element.set("id", self._new_id("series"))
                    position = self._meta(refines=element, prop="group-position", text=ref.label)
                    self._insert(self._after(element), position)
                positions = positions[1:]
            for stale in positions:
                self._remove(stale)
            if i < len(existing):
                last = self._last_refine(element)
        for element in existing[len(series):]:
            for refine in self._refines_of(element):
                self._remove(refine)
            self._remove(element)

    def _write_calibre(self, ref: SeriesRef, names: list[etree._Element]) -> None:
        if not names:
            names = [self._calibre_meta("calibre:series")]
            self._insert(len(self.metadata), names[0])
        for meta in names:
            meta.set("content", ref.name)
        indexes = self._named("calibre:series_index")
        if ref.label:
            if not indexes:
                indexes = [self._calibre_meta("calibre:series_index")]
                self._insert(self.metadata.index(names[-1]) + 1, indexes[0])
            for meta in indexes:
                meta.set("content", ref.label)
        else:
            for meta in indexes:  # the catalog does not know the position: a stale one would mislead
                self._remove(meta)

    def set_identifier(self, kind: str, value: str) -> None:
        """Update the first identifier the reader takes for ``kind``; add one when there is none,
        or when that first one is the package's unique identifier (which must not change)."""
        found = [e for e in self._dc("identifier") if _identifier_kind(e, self._refined(e)) == kind]
        first = found[0] if found else None
        if first is not None and not (self.unique_id and first.get("id") == self.unique_id):
            _set_text(first, _identifier_text(_text(first) or "", first, value))
            return
        element = self._dc_element("identifier", "")
        if kind == "isbn":
            _set_text(element, f"urn:isbn:{value}")
        elif self.epub3:
            _set_text(element, f"amazon:{value}")  # calibre's EPUB 3 form; opf:scheme is EPUB 2 only
        else:
            element.set(_SCHEME, "AMAZON")
            _set_text(element, value)
        if first is not None:  # before the unique identifier, so that it is the one read first
            self._insert(self.metadata.index(first), element)
        else:
            identifiers = self._dc("identifier")
            self._insert(self._after(identifiers[-1]) if identifiers else self._after_dc(), element)

    def set_first(self, name: str, value: str) -> None:
        """language, publisher, date, description: the reader takes the first; so does this."""
        existing = self._dc(name)
        if existing:
            _set_text(existing[0], value)
        else:
            self._insert(self._after_dc(), self._dc_element(name, value))

    def touch_modified(self) -> None:
        """EPUB 3 requires dcterms:modified to change with the content."""
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for meta in self._metas():
            if meta.get("property") == "dcterms:modified" and not meta.get("refines"):
                _set_text(meta, stamp)

    # ----- finding ---------------------------------------------------------------------

    def _dc(self, name: str) -> list[etree._Element]:
        return self.metadata.findall(f"{{{DC}}}{name}")

    def _metas(self) -> list[etree._Element]:
        return [e for e in self.metadata if e.tag in (f"{{{OPF}}}meta", "meta")]

    def _named(self, name: str) -> list[etree._Element]:
        return [m for m in self._metas() if m.get("name") == name]

    def _refines_of(self, element: etree._Element, prop: str | None = None) -> list[etree._Element]:
        ident = element.get("id")
        if not ident:
            return []
        return [m for m in self._metas()
                if m.get("refines") == f"#{ident}" and (prop is None or m.get("property") == prop)]

    def _refined(self, element: etree._Element) -> dict[str, str]:
        """The element's refinements as the reader sees them (the last of each property wins)."""
        return {m.get("property"): _text(m) or "" for m in self._refines_of(element) if m.get("property")}

    def _last_refine(self, element: etree._Element) -> etree._Element:
        return max([element, *self._refines_of(element)], key=self.metadata.index)

    def _role(self, element: etree._Element) -> str:
        default = "aut" if element.tag == f"{{{DC}}}creator" else ""
        return (element.get(_ROLE) or self._refined(element).get("role") or default).lower()

    # ----- making ----------------------------------------------------------------------

    def _new_id(self, kind: str) -> str:
        n = 1
        while f"bookdesk-{kind}-{n}" in self.ids:
            n += 1
        ident = f"bookdesk-{kind}-{n}"
        self.ids.add(ident)
        return ident

    def _dc_element(self, name: str, text: str) -> etree._Element:
        element = self.metadata.makeelement(f"{{{DC}}}{name}")
        element.text = text
        return element

    def _meta(self, *, prop: str, text: str, refines: etree._Element | None = None,
              scheme: str | None = None) -> etree._Element:
        element = self.metadata.makeelement(self.meta_tag)
        element.set(NEW_MARK, "1")  # first, so that serialisation finds it right after the tag name
        if refines is not None:
            element.set("refines", f"#{refines.get('id')}")
        element.set("property", prop)
        if scheme:
            element.set("scheme", scheme)
        element.text = text
        return element

    def _calibre_meta(self, name: str) -> etree._Element:
        element = self.metadata.makeelement(self.meta_tag)
        element.set(NEW_MARK, "1")
        element.set("name", name)
        element.set("content", "")
        return element

    # ----- placing, keeping the document's indentation ---------------------------------

    def _after(self, element: etree._Element) -> int:
        return self.metadata.index(element) + 1

    def _after_dc(self) -> int:
        positions = [i for i, e in enumerate(self.metadata) if isinstance(e.tag, str) and e.tag.startswith(f"{{{DC}}}")]
        return positions[-1] + 1 if positions else 0

    def _insert(self, index: int, element: etree._Element) -> None:
        children = len(self.metadata)
        if index >= children:
            if children:
                last = self.metadata[children - 1]
                element.tail, last.tail = last.tail, self.indent or last.tail
            else:
                self.metadata.text = self.indent or self.metadata.text
            self.metadata.append(element)
        else:
            element.tail = self.indent or None
            self.metadata.insert(index, element)

    def _remove(self, element: etree._Element) -> None:
        if element.getnext() is None:  # its tail is the closing indentation: hand it on
            previous = element.getprevious()
            if previous is not None:
                previous.tail = element.tail
            else:
                self.metadata.text = element.tail
        self.metadata.remove(element)


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    value = " ".join("".join(element.itertext()).split())
    return value or None


def _set_text(element: etree._Element, value: str) -> None:
    for child in list(element):  # markup inside would be read as part of the value
        element.remove(child)
    element.text = value


def _identifier_kind(element: etree._Element, refined: dict[str, str]) -> str | None:
    """Which identifier the reader takes this element for (readers/epub.py ``_identifiers``)."""
    value = _text(element) or ""
    scheme = (element.get(_SCHEME) or element.get("scheme") or "").lower()
    if not scheme and refined.get("identifier-type") in _ONIX_ISBN:
        scheme = "isbn"
    prefix, colon, rest = value.partition(":")
    if not scheme and colon and prefix.lower() in _ASIN_SCHEMES | _OTHER_SCHEMES | {"isbn"}:
        scheme, value = prefix.lower(), rest.strip()
    lowered = value.lower()
    if scheme == "isbn" or lowered.startswith(("urn:isbn:", "isbn")):
        return "isbn"
    if scheme in _ASIN_SCHEMES or lowered.startswith("urn:asin:"):
        return "asin"
    if scheme == "uuid" or lowered.startswith("urn:uuid:") or scheme in _OTHER_SCHEMES:
        return scheme or "uuid"
    return "isbn" if normalise_isbn(value) else None


def _identifier_text(old: str, element: etree._Element, value: str) -> str:
    """The new value in the old one's form: "urn:isbn:…" stays a URN, a bare number stays bare."""
    lowered = old.strip().lower()
    for prefix in _ID_PREFIXES:
        if lowered.startswith(prefix):
            return old.strip()[:len(prefix)] + value
    if element.get(_SCHEME) or element.get("scheme") or ":" not in old:
        return value
    return f"urn:isbn:{value}"
