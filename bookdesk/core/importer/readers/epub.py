"""EPUB 2 and 3 metadata: title, people with roles, series, identifiers, language, cover.

Reads only what it needs from the zip, with limits on every member it inflates, so a
hostile archive cannot exhaust memory; names inside the archive are looked up, never
extracted to disk.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from bookdesk.core.importer import book_xml
from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.readers import safe_zip
from bookdesk.core.importer.readers.tag_values import image_ext, language_code, published_from
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.errors import ImportFailedError
from bookdesk.vocabulary.positions import position_label

MAX_XML_BYTES = 4 * 1024 * 1024
MAX_COVER_BYTES = 16 * 1024 * 1024
MAX_DESCRIPTION_CHARS = 20_000

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
# MARC relator codes, and the words some tools write in their place.
_ROLES = {"aut": "author", "nrt": "narrator", "edt": "editor", "trl": "translator", "ill": "illustrator",
          "author": "author", "narrator": "narrator", "editor": "editor", "translator": "translator",
          "illustrator": "illustrator"}
_IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
_TAGS = re.compile(r"<[^>]+>")


def read_epub(path: Path) -> BookMetadata:
    try:
        with safe_zip.open_zip(path, "EPUB") as archive:
            return _read(archive)
    except zipfile.BadZipFile as exc:
        raise ImportFailedError(f"{path.name} is not a valid EPUB: the zip container is damaged ({exc}).") from exc
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise ImportFailedError(f"{path.name} cannot be read as an EPUB ({exc}).") from exc
    except (EOFError, OSError) as exc:
        raise ImportFailedError(f"{path.name} is truncated or unreadable ({exc}).") from exc


def _member(archive: zipfile.ZipFile, name: str, limit: int, what: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ImportFailedError(f"The EPUB has no {what} ({name}).") from None
    if info.file_size > limit:
        raise ImportFailedError(f"The EPUB's {what} claims {info.file_size:,} bytes, over the limit of {limit:,}.")
    with archive.open(info) as fh:
        data = fh.read(limit + 1)  # never trust the declared size alone
    if len(data) > limit:
        raise ImportFailedError(f"The EPUB's {what} inflates past the limit of {limit:,} bytes.")
    return data


def _read(archive: zipfile.ZipFile) -> BookMetadata:
    container = book_xml.parse(_member(archive, "META-INF/container.xml", MAX_XML_BYTES, "container"),
                               "EPUB container")
    rootfile = container.find(".//c:rootfile", NS)
    opf_path = rootfile.get("full-path") if rootfile is not None else None
    if not opf_path:
        raise ImportFailedError("The EPUB's container does not name its package document.")
    opf = book_xml.parse(_member(archive, opf_path, MAX_XML_BYTES, "package document"), "EPUB package")
    metadata = opf.find("opf:metadata", NS)
    if metadata is None:
        metadata = opf.find(".//{*}metadata")
    if metadata is None:
        raise ImportFailedError("The EPUB's package document has no metadata.")
    meta = metadata_from_opf(metadata)
    cover = _cover_href(opf, metadata, opf_path)
    if cover:
        href, media_type = cover
        try:
            meta.cover = _member(archive, href, MAX_COVER_BYTES, "cover image")
            meta.cover_ext = _IMAGE_TYPES.get(media_type) or _sniff_image(meta.cover)
        except ImportFailedError:
            meta.cover = None  # a book without its cover is still a book
        if meta.cover is not None and meta.cover_ext is None:
            meta.cover = None
    return meta


def metadata_from_opf(metadata: etree._Element) -> BookMetadata:
    """Everything but the cover from an OPF ``<metadata>`` element: an EPUB's package document and
    calibre's ``metadata.opf`` sidecar are the same format."""
    meta = BookMetadata()
    refines = _refines(metadata)
    meta.title, meta.subtitle = _titles(metadata, refines)
    meta.contributors = _people(metadata, refines)
    meta.series = _series(metadata, refines)
    meta.identifiers = _identifiers(metadata, refines)
    meta.language = language_code(_text(metadata.find("dc:language", NS)))  # calibre's OPF says "eng"
    meta.publisher = _text(metadata.find("dc:publisher", NS))
    meta.published = _published(_text(metadata.find("dc:date", NS)))
    description = _text(metadata.find("dc:description", NS))
    if description:
        meta.description = _TAGS.sub("", description)[:MAX_DESCRIPTION_CHARS].strip() or None
    meta.subjects = [s for s in (_text(e) for e in metadata.findall("dc:subject", NS)) if s]
    return meta


def _published(value: str | None) -> str | None:
    """calibre writes "2004-05-01T07:00:00+00:00", and "0101-01-01..." when it does not know."""
    if value and value[:4].isdigit():
        return published_from(value)
    return value


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    value = " ".join("".join(element.itertext()).split())
    return value or None


def _refines(metadata: etree._Element) -> dict[str, dict[str, str]]:
    """EPUB 3 ``<meta refines="#id" property="...">`` values, by the id they refine."""
    out: dict[str, dict[str, str]] = {}
    for meta in metadata.findall("opf:meta", NS) + metadata.findall("meta"):
        target, prop = meta.get("refines"), meta.get("property")
        if target and prop and target.startswith("#"):
            out.setdefault(target[1:], {})[prop] = _text(meta) or ""
    return out


def _titles(metadata: etree._Element, refines: dict[str, dict[str, str]]) -> tuple[str, str | None]:
    main, subtitle = None, None
    for element in metadata.findall("dc:title", NS):
        kind = refines.get(element.get("id", ""), {}).get("title-type")
        value = _text(element)
        if not value:
            continue
        if kind == "subtitle":
            subtitle = subtitle or value
        elif main is None or kind == "main":
            main = value
    return main or "", subtitle


def _people(metadata: etree._Element, refines: dict[str, dict[str, str]]) -> list[Contributor]:
    """Every person with every role they are listed with: an author who reads their own book is
    both author and narrator, whether the roles come as two ``<meta refines>`` entries or as an
    ``opf:role`` attribute and a refinement."""
    people: list[Contributor] = []
    roles = _role_refines(metadata)
    for tag in ("creator", "contributor"):
        for element in metadata.findall(f"dc:{tag}", NS):
            name = _text(element)
            if not name:
                continue
            extra = refines.get(element.get("id", ""), {})
            codes = [element.get(f"{{{NS['opf']}}}role") or element.get("role") or "", *roles.get(element.get("id", ""), [])]
            codes = [c.strip().lower() for c in codes if c and c.strip()] or (["aut"] if tag == "creator" else [])
            file_as = element.get(f"{{{NS['opf']}}}file-as") or extra.get("file-as") or ""
            for role in dict.fromkeys(_ROLES[c] for c in codes if c in _ROLES):
                if not any(p.name == name and p.role == role for p in people):
                    people.append(Contributor(name=name, role=role, sort_name=file_as))
    return people


def _role_refines(metadata: etree._Element) -> dict[str, list[str]]:
    """All ``<meta refines="#id" property="role">`` values by id, in order: a person may have several."""
    out: dict[str, list[str]] = {}
    for meta in metadata.findall("opf:meta", NS) + metadata.findall("meta"):
        target = meta.get("refines") or ""
        if meta.get("property") == "role" and target.startswith("#") and (code := _text(meta)):
            out.setdefault(target[1:], []).append(code)
    return out


def _series(metadata: etree._Element, refines: dict[str, dict[str, str]]) -> list[SeriesRef]:
    found: list[SeriesRef] = []
    calibre_name = calibre_index = None
    for meta in metadata.findall("opf:meta", NS) + metadata.findall("meta"):
        if meta.get("name") == "calibre:series":
            calibre_name = (meta.get("content") or "").strip() or None
        elif meta.get("name") == "calibre:series_index":
            calibre_index = (meta.get("content") or "").strip() or None
        elif meta.get("property") == "belongs-to-collection":
            name = _text(meta)
            extra = refines.get(meta.get("id", ""), {})
            if name and extra.get("collection-type", "series") in ("series", "set"):
                found.append(SeriesRef(name=name, label=_label(extra.get("group-position"))))
    if calibre_name and not any(s.name == calibre_name for s in found):
        found.insert(0, SeriesRef(name=calibre_name, label=_label(calibre_index)))
    return found


def _label(position: str | None) -> str:
    """calibre writes "2.0" for book 2; people write "2"."""
    return position_label(position)


# ONIX code list 5, used by EPUB 3 ``identifier-type`` refinements: 02 ISBN-10, 15 ISBN-13.
_ONIX_ISBN = {"02", "15"}
_ASIN_SCHEMES = {"asin", "mobi-asin", "amazon", "audible"}
_OTHER_SCHEMES = {"google", "goodreads", "openlibrary", "hardcover"}


def _identifiers(metadata: etree._Element, refines: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    for element in metadata.findall("dc:identifier", NS):
        value = _text(element) or ""
        scheme = (element.get(f"{{{NS['opf']}}}scheme") or element.get("scheme") or "").lower()
        refined = (refines or {}).get(element.get("id", ""), {})
        if not scheme and refined.get("identifier-type") in _ONIX_ISBN:
            scheme = "isbn"
        prefix, colon, rest = value.partition(":")
        if not scheme and colon and prefix.lower() in _ASIN_SCHEMES | _OTHER_SCHEMES | {"isbn"}:
            scheme, value = prefix.lower(), rest.strip()  # calibre's OPF 3 writes "isbn:978...", "amazon:B0..."
        lowered = value.lower()
        if scheme == "isbn" or lowered.startswith(("urn:isbn:", "isbn")):
            isbn = normalise_isbn(value)
            if isbn:
                out.setdefault("isbn", isbn)
        elif scheme in _ASIN_SCHEMES or lowered.startswith("urn:asin:"):
            asin = normalise_asin(value.split(":")[-1])
            if asin:
                out.setdefault("asin", asin)
        elif scheme == "uuid" or lowered.startswith("urn:uuid:"):
            out.setdefault("uuid", value.split(":")[-1])
        elif scheme in _OTHER_SCHEMES:
            out.setdefault(scheme, value)
        elif "isbn" not in out and (isbn := normalise_isbn(value)):
            out["isbn"] = isbn
    return out


def _cover_href(opf: etree._Element, metadata: etree._Element, opf_path: str) -> tuple[str, str] | None:
    manifest = opf.find("opf:manifest", NS)
    if manifest is None:
        return None
    items = manifest.findall("opf:item", NS)
    chosen = None
    for item in items:  # EPUB 3
        if "cover-image" in (item.get("properties") or "").split():
            chosen = item
            break
    if chosen is None:  # EPUB 2: <meta name="cover" content="item-id"/>
        cover_id = next((m.get("content") for m in metadata.findall("opf:meta", NS) + metadata.findall("meta")
                         if m.get("name") == "cover"), None)
        chosen = next((i for i in items if cover_id and i.get("id") == cover_id), None)
    if chosen is None:
        chosen = next((i for i in items if (i.get("media-type") or "").startswith("image/")
                       and "cover" in ((i.get("id") or "") + (i.get("href") or "")).lower()), None)
    if chosen is None or not chosen.get("href"):
        return None
    href = posixpath.normpath(posixpath.join(posixpath.dirname(opf_path), unquote(chosen.get("href"))))
    if href.startswith(("../", "/")) or href == "..":
        return None  # a reference out of the archive is never followed
    return href, (chosen.get("media-type") or "").lower()


def _sniff_image(data: bytes) -> str | None:
    return image_ext(data)
