"""PDF metadata from the document information dictionary and the XMP packet.

Only the trailer, the info dictionary and the catalog's ``/Metadata`` stream are touched:
pages are never loaded, so a PDF of ten thousand pages costs what a PDF of one does. The
file is handed to pypdf open, not by path, because pypdf reads a path whole into memory.
An encrypted PDF is not an error: what cannot be decrypted is simply not known, and the
file name fills in.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from bookdesk.core.importer import book_xml
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.readers import xmp
from bookdesk.core.importer.readers.tag_values import clean, people, published_from, strip_html, year_from
from bookdesk.errors import ImportFailedError
from bookdesk.vocabulary.people import split_people

log = logging.getLogger(__name__)

MAX_XMP_BYTES = 4 * 1024 * 1024

# Titles and authors that PDF producers fill in by themselves; a guess from the file name is better.
_JUNK_TITLE = re.compile(
    r"^(untitled(-\d+)?|title|document\d*|unknown|none|null|\d+|microsoft (word|powerpoint) - .*"
    r"|.*\.(docx?|pdf|indd|qxd|qxp|rtf|tex|dvi|ps|odt|pages|txt|html?))$", re.IGNORECASE)
_JUNK_AUTHOR = re.compile(r"^(admin(istrator)?|user|owner|unknown|author|default|none|null|pc|home|windows user"
                          r"|microsoft.*|adobe.*|.*@.*)$", re.IGNORECASE)
_KEYWORD_SPLIT = re.compile(r"\s*[;,]\s*")


def read_pdf(path: Path) -> BookMetadata:
    """What the PDF says about itself; empty for an encrypted PDF that will not open without a
    password. A file pypdf cannot parse at all raises ImportFailedError."""
    try:
        with path.open("rb") as fh:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted and not _opened(reader, path):
                return BookMetadata()
            return _read(reader, path)
    except ImportFailedError:
        raise
    except OSError as exc:
        raise ImportFailedError(f"{path.name} cannot be read ({exc.strerror or exc}).") from exc
    except PdfReadError as exc:
        raise ImportFailedError(f"{path.name} is not a readable PDF: it is damaged or truncated ({exc}).") from exc
    except Exception as exc:  # pypdf on a damaged file raises almost anything; it must fail alone
        raise ImportFailedError(f"{path.name} is a damaged PDF ({type(exc).__name__}: {exc}).") from exc


def _opened(reader: PdfReader, path: Path) -> bool:
    """Most protected PDFs only restrict printing or copying and open with an empty password."""
    try:
        opened = bool(reader.decrypt(""))
    except (DependencyError, NotImplementedError, FileNotDecryptedError, PdfReadError) as exc:
        log.info("%s is encrypted in a way BookDesk cannot open (%s); its own metadata is skipped.", path.name, exc)
        return False
    if not opened:
        log.info("%s is encrypted with a password; its own metadata is skipped.", path.name)
    return opened


def _read(reader: PdfReader, path: Path) -> BookMetadata:
    root = reader.trailer.get("/Root")
    if root is None:
        raise ImportFailedError(f"{path.name} is not a readable PDF: it has no document catalog.")
    info = _info(reader)
    packet = _xmp(root.get_object(), path)
    meta = BookMetadata()
    titles = (t for t in (packet.title, clean(info.get("/Title"))) if t and not _JUNK_TITLE.match(t))
    meta.title = next(titles, "")
    for names in (packet.creators, split_people(info.get("/Author"))):
        meta.contributors = [c for c in people(names) if not _JUNK_AUTHOR.match(c.name)]
        if meta.contributors:
            break
    meta.description = packet.description or strip_html(info.get("/Subject"))
    meta.subjects = packet.subjects or [k for k in _KEYWORD_SPLIT.split(clean(info.get("/Keywords")) or "") if k]
    meta.language = packet.language
    meta.publisher = packet.publisher
    meta.published = (published_from(packet.date) or year_from(packet.created)
                      or year_from(clean(info.get("/CreationDate"))))
    meta.identifiers = packet.identifiers
    meta.series = packet.series
    return meta


def _info(reader: PdfReader) -> dict[str, Any]:
    """The info dictionary with indirect values resolved; empty when it is missing or damaged."""
    try:
        raw = reader.trailer.get("/Info")
        info = raw.get_object() if raw is not None else None
        if not hasattr(info, "items"):
            return {}
        return {str(k): _resolved(v) for k, v in list(info.items())[:200]}
    except Exception as exc:  # a damaged info dictionary loses the info, not the book
        log.warning("The PDF's info dictionary is damaged (%s); it is skipped.", exc)
        return {}


def _resolved(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _xmp(root: Any, path: Path) -> xmp.Packet:
    try:
        ref = root.get("/Metadata")
        if ref is None:
            return xmp.Packet()
        stream = ref.get_object()
        declared = _resolved(stream.get("/Length", 0))
        if isinstance(declared, int) and declared > MAX_XMP_BYTES:
            log.warning("%s: the XMP metadata declares %s bytes, over the limit; it is skipped.", path.name, declared)
            return xmp.Packet()
        data = stream.get_data()
        if len(data) > MAX_XMP_BYTES:
            log.warning("%s: the XMP metadata is over %s bytes; it is skipped.", path.name, MAX_XMP_BYTES)
            return xmp.Packet()
        return xmp.parse(book_xml.parse(data, "PDF's XMP metadata"))
    except ImportFailedError as exc:
        log.warning("%s: %s The info dictionary is used instead.", path.name, exc.message)
    except Exception as exc:  # XMP is optional; damage there must not cost the rest
        log.warning("%s: the XMP metadata is damaged (%s); the info dictionary is used instead.", path.name, exc)
    return xmp.Packet()
