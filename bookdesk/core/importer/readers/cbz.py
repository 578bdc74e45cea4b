"""CBZ comics: ComicInfo.xml (the ComicRack schema) when present, and the first page as cover.

The archive is opened with the same limits as an EPUB (see safe_zip). ComicInfo is
optional, so a hostile or broken one is skipped with a warning and the comic still
imports with what its folder and file names say.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from bookdesk.core.importer import book_xml
from bookdesk.core.importer.identifiers import normalise_isbn
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.readers import safe_zip
from bookdesk.core.importer.readers.tag_values import clean, image_ext, people, strip_html
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.errors import ImportFailedError
from bookdesk.vocabulary.positions import position_label

log = logging.getLogger(__name__)

MAX_XML_BYTES = 4 * 1024 * 1024
MAX_COVER_BYTES = 16 * 1024 * 1024
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
# ComicInfo's credit fields and the role each plays in the catalog; colourists and letterers
# are not tracked.
_ROLES = {"Writer": "author", "Penciller": "illustrator", "Inker": "illustrator", "CoverArtist": "illustrator",
          "Editor": "editor", "Translator": "translator"}
_DIGITS = re.compile(r"(\d+)")


def read_cbz(path: Path) -> BookMetadata:
    """What a CBZ says about itself: ComicInfo.xml if it has one, and its first page as cover."""
    try:
        with safe_zip.open_zip(path, "CBZ") as archive:
            return _read(archive, path.name)
    except zipfile.BadZipFile as exc:
        raise ImportFailedError(f"{path.name} is not a valid CBZ: the zip container is damaged ({exc}).") from exc
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise ImportFailedError(f"{path.name} cannot be read as a CBZ ({exc}).") from exc
    except (EOFError, OSError) as exc:
        raise ImportFailedError(f"{path.name} is truncated or unreadable ({exc}).") from exc


def _read(archive: zipfile.ZipFile, name: str) -> BookMetadata:
    members = [i for i in archive.infolist() if not i.is_dir() and safe_zip.is_safe_name(i.filename)]
    pages = sorted((i for i in members if _is_page(i.filename)), key=lambda i: _natural(i.filename))
    info = next((i for i in members if i.filename.lower() == "comicinfo.xml"), None)
    meta, cover_page = BookMetadata(), 0
    if info is not None:
        try:
            root = book_xml.parse(safe_zip.read_member(archive, info, MAX_XML_BYTES, "ComicInfo.xml"), "ComicInfo.xml")
            meta, cover_page = _comic_info(root), _cover_page(root)
        except ImportFailedError as exc:
            log.warning("%s: %s The comic is imported without it.", name, exc.message)
    if pages:
        page = pages[cover_page] if cover_page < len(pages) else pages[0]
        meta.cover, meta.cover_ext = _image(archive, page, name)
    return meta


def _is_page(name: str) -> bool:
    base = posixpath.basename(name)
    return (name.lower().endswith(_IMAGE_SUFFIXES) and not base.startswith(".")
            and not name.startswith("__MACOSX/"))


def _natural(name: str) -> list[object]:
    """ "page2" before "page10", as a reader turns the pages."""
    return [int(p) if p.isdigit() else p.casefold() for p in _DIGITS.split(name)]


def _image(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> tuple[bytes | None, str | None]:
    try:
        data = safe_zip.read_member(archive, info, MAX_COVER_BYTES, "first page")
    except ImportFailedError as exc:
        log.warning("%s: %s The comic is imported without a cover.", name, exc.message)
        return None, None
    ext = image_ext(data)
    return (data, ext) if ext else (None, None)


def _comic_info(root: etree._Element) -> BookMetadata:
    def text(tag: str) -> str | None:
        element = root.find(f"{{*}}{tag}")  # {*} matches with or without a namespace
        return clean("".join(element.itertext())) if element is not None else None

    meta = BookMetadata()
    series, number, volume = text("Series"), text("Number"), text("Volume")
    meta.title = text("Title") or (f"{series} #{position_label(number)}" if series and number else series) or ""
    if series:
        meta.series = [SeriesRef(name=series, label=position_label(number or volume))]
    contributors: list[Contributor] = []
    for tag, role in _ROLES.items():
        for contributor in people(text(tag), role):
            if contributor not in contributors:
                contributors.append(contributor)
    meta.contributors = contributors
    meta.description = strip_html(text("Summary"))
    meta.publisher = text("Publisher")
    meta.language = text("LanguageISO")
    meta.published = _date(text("Year"), text("Month"), text("Day"))
    meta.subjects = [g.strip() for g in (text("Genre") or "").split(",") if g.strip()]
    isbn = normalise_isbn(text("GTIN") or "") or normalise_isbn(text("ISBN") or "")
    if isbn:
        meta.identifiers["isbn"] = isbn
    return meta


def _date(year: str | None, month: str | None, day: str | None) -> str | None:
    if not year or not year.isdigit() or not 1000 < int(year) < 2200:
        return None
    if month and month.isdigit() and 1 <= int(month) <= 12:
        if day and day.isdigit() and 1 <= int(day) <= 31:
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{int(month):02d}"
    return year


def _cover_page(root: etree._Element) -> int:
    """ComicInfo may mark its front cover: ``<Pages><Page Image="0" Type="FrontCover"/>``."""
    for page in root.iter("{*}Page"):
        if page.get("Type") == "FrontCover" and (page.get("Image") or "").isdigit():
            return int(page.get("Image"))
    return 0
