"""The addresses both OPDS formats hand out, and what a book's acquisition links say.

Every address is absolute (``http://host:8585/opds/...``), made from the address the reader used, so
a client that resolves relative links badly (several e-reader apps) still finds each one. The files
and covers live under the OPDS 1.2 root for both formats: one address per file.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from bookdesk.core.acquisition.opds.formats import MIME_OF_FORMAT
from bookdesk.data.catalog_rows import WorkDetail

OPDS_ROOT = "/opds"
OPDS2_ROOT = "/opds/v2"
_UNKNOWN_TYPE = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Links:
    origin: str  # scheme, host and port the reader asked: "http://127.0.0.1:8585"
    root: str  # the feeds' root path: OPDS_ROOT or OPDS2_ROOT

    def feed(self, path: str) -> str:
        """A feed below the root ("authors/12?after=..."); "" is the root itself."""
        return f"{self.origin}{self.root}/{path}" if path else f"{self.origin}{self.root}"

    def search_template(self, placeholder: str) -> str:
        """The search feed's address with ``placeholder`` where the words go (kept unescaped)."""
        return f"{self.origin}{self.root}/search?q={placeholder}"

    def file(self, file_id: int, name: str) -> str:
        # The file's own name at the end: readers that save under the address's last part keep it.
        return f"{self.origin}{OPDS_ROOT}/files/{file_id}/{quote(name, safe='')}"

    def cover(self, work_id: int) -> str:
        return f"{self.origin}{OPDS_ROOT}/covers/{work_id}"

    def thumbnail(self, work_id: int) -> str:
        return f"{self.origin}{OPDS_ROOT}/thumbnails/{work_id}"

    def book_id(self, book: WorkDetail) -> str:
        return f"urn:bookdesk:book:{book.id}"


@dataclass(frozen=True, slots=True)
class Acquisition:
    href: str
    type: str
    size: int
    title: str  # "EPUB", "M4B audiobook"
    audio: bool


# A thumbnail is always a JPEG made of the cover (thumbnails.py); a cover that cannot be read sends itself.
THUMBNAIL_TYPE = "image/jpeg"


def acquisitions(book: WorkDetail, links: Links) -> list[Acquisition]:
    """One link per file of the book, each with its format's MIME type (the files ``served_files`` kept)."""
    found = []
    for record in book.files:
        audio = record.media_kind == "audiobook"
        title = record.format.upper() + (" audiobook" if audio else "")
        found.append(Acquisition(links.file(record.id, record.path.rsplit("/", 1)[-1]), media_type_of(record.format),
                                 record.size, title, audio))
    return found


def served_files(book: WorkDetail, calibre_folders: list[str]) -> WorkDetail:
    """``book`` with only the files ``file_response`` may hand out: inside the library (a relative path), or
    inside a calibre library books were brought over from in place (calibre's absolute paths)."""
    return replace(book, files=tuple(f for f in book.files if servable(f.path, calibre_folders)))


def servable(path: str, calibre_folders: list[str]) -> bool:
    """Whether a file's catalog path is one ``file_response`` looks for in a folder it serves."""
    if not (PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()):
        return True
    return "/../" not in path and any(path.startswith(folder.rstrip("/") + "/") for folder in calibre_folders)


def media_type_of(book_format: str) -> str:
    return MIME_OF_FORMAT.get(book_format.lower(), _UNKNOWN_TYPE)


def cover_type(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "image/jpeg"


def timestamp(stored: str) -> str:
    """A time as the catalog stores it (UTC, "2026-01-31 12:00:00.000000") in RFC 3339."""
    return datetime.fromisoformat(stored).strftime("%Y-%m-%dT%H:%M:%SZ")
