"""Metadata files people keep beside their books: calibre's ``metadata.opf`` and
Audiobookshelf's ``metadata.json``. Someone curated them, so they win over the book's own tags.

A sidecar is optional: one that is too large, malformed or hostile is skipped with a
warning, and the book imports on what its file says.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bookdesk.core.importer import book_xml
from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.core.importer.metadata import BookMetadata, Chapter
from bookdesk.core.importer.readers.epub import NS, metadata_from_opf
from bookdesk.core.importer.readers.tag_values import clean, language_code, people, strip_html
from bookdesk.data.catalog_rows import SeriesRef
from bookdesk.errors import ImportFailedError
from bookdesk.vocabulary.positions import position_label

log = logging.getLogger(__name__)

MAX_SIDECAR_BYTES = 2 * 1024 * 1024
OPF_NAME = "metadata.opf"
JSON_NAME = "metadata.json"
_MAX_ITEMS = 500  # people, series, tags or chapters: more is not a book's sidecar
_SERIES_STRING = re.compile(r"^(?P<name>.+?)\s*#\s*(?P<part>[^#]+)$")


def read_sidecars(folder: Path) -> BookMetadata | None:
    """What the sidecars in ``folder`` say, Audiobookshelf's over calibre's (Audiobookshelf itself
    ranks its own file highest); None when there is no usable sidecar."""
    found = [meta for meta in (_read(folder / JSON_NAME, _from_json), _read(folder / OPF_NAME, _from_opf))
             if meta is not None and meta != BookMetadata()]  # an empty sidecar says nothing
    if not found:
        return None
    merged = found[0]
    for weaker in found[1:]:
        merged = merged.filled_from(weaker)
    return merged


def has_sidecar(folder: Path) -> bool:
    return (folder / OPF_NAME).is_file() or (folder / JSON_NAME).is_file()


def _read(path: Path, parse: Callable[[bytes, Path], BookMetadata | None]) -> BookMetadata | None:
    try:
        if not path.is_file():
            return None
        size = path.stat().st_size
        if size > MAX_SIDECAR_BYTES:
            log.warning("%s is %s bytes, over the limit of %s for a sidecar; it is ignored.", path, size,
                        MAX_SIDECAR_BYTES)
            return None
        with path.open("rb") as fh:
            data = fh.read(MAX_SIDECAR_BYTES + 1)  # the file may have grown since stat
        if len(data) > MAX_SIDECAR_BYTES:
            log.warning("%s grew past the sidecar limit while being read; it is ignored.", path)
            return None
        return parse(data, path)
    except ImportFailedError as exc:
        log.warning("The sidecar %s is ignored: %s", path, exc.message)
    except (OSError, ValueError, TypeError, RecursionError, AttributeError) as exc:
        log.warning("The sidecar %s is ignored: it cannot be read (%s).", path, exc)
    return None


def _from_opf(data: bytes, path: Path) -> BookMetadata | None:
    root = book_xml.parse(data, f"sidecar {path.name}")
    metadata = root.find("opf:metadata", NS)
    if metadata is None:
        metadata = root.find(".//{*}metadata")
    if metadata is None:
        raise ImportFailedError("it has no <metadata> element.")
    return metadata_from_opf(metadata)


def _from_json(data: bytes, path: Path) -> BookMetadata | None:
    document = json.loads(data.decode("utf-8-sig", "replace"))
    if not isinstance(document, dict):
        raise ImportFailedError("it is not a JSON object.")
    # Older Audiobookshelf versions nest the book under "metadata".
    book = document.get("metadata") if isinstance(document.get("metadata"), dict) else document
    meta = BookMetadata()
    meta.title = clean(_str(book.get("title"))) or ""
    meta.subtitle = clean(_str(book.get("subtitle")))
    meta.contributors = (people(_names(book.get("authors")), "author")
                         + people(_names(book.get("narrators")), "narrator"))
    meta.series = _series(book.get("series"))
    meta.published = clean(_str(book.get("publishedDate"))) or clean(_str(book.get("publishedYear")))
    meta.publisher = clean(_str(book.get("publisher")))
    meta.description = strip_html(_str(book.get("description")))
    meta.language = language_code(_str(book.get("language")))
    isbn, asin = normalise_isbn(_str(book.get("isbn")) or ""), normalise_asin(_str(book.get("asin")) or "")
    meta.identifiers = {k: v for k, v in (("isbn", isbn), ("asin", asin)) if v}
    subjects = _strings(book.get("genres")) + _strings(document.get("tags") or book.get("tags"))
    meta.subjects = list(dict.fromkeys(subjects))
    meta.chapters = _chapters(document.get("chapters"))
    return meta


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [s for s in (clean(_str(v)) for v in value[:_MAX_ITEMS]) if s]


def _names(value: Any) -> list[str]:
    """People as ["Name"] or [{"name": "Name"}], both of which Audiobookshelf has written."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        return []
    names = [v.get("name") if isinstance(v, dict) else v for v in value[:_MAX_ITEMS]]
    return [n for n in (clean(n) for n in names if isinstance(n, str)) if n]


def _series(value: Any) -> list[SeriesRef]:
    """Series as ["Name #1.5"] strings or [{"name": ..., "sequence": ...}] objects."""
    items = [value] if isinstance(value, (str, dict)) else value if isinstance(value, list) else []
    found: list[SeriesRef] = []
    for item in items[:_MAX_ITEMS]:
        if isinstance(item, dict):
            name, part = clean(_str(item.get("name"))), _str(item.get("sequence"))
        elif isinstance(item, str):
            text = clean(item, 500) or ""
            match = _SERIES_STRING.match(text)
            name, part = (clean(match["name"]), match["part"]) if match else (text or None, None)
        else:
            continue
        if name:
            found.append(SeriesRef(name=name, label=position_label(part)))
    return found


def _chapters(value: Any) -> list[Chapter]:
    if not isinstance(value, list):
        return []
    chapters: list[Chapter] = []
    for i, item in enumerate(value[:5_000]):
        if not isinstance(item, dict):
            continue
        start = item.get("start")
        if isinstance(start, (int, float)) and not isinstance(start, bool) and 0 <= start < 10**7:
            title = clean(_str(item.get("title"))) or f"Chapter {i + 1}"
            chapters.append(Chapter(title=title, start_seconds=float(start)))
    return sorted(chapters, key=lambda c: c.start_seconds)
