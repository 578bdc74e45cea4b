"""Shared by the write-back tests: where the committed fixtures are, snapshots of files and zip
members, and works and file records as the catalog hands them over."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime
from pathlib import Path

from bookdesk.data.catalog_rows import Contributor, FileRecord, SeriesRef, WorkDetail

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FORMATS = {".epub": ("epub", "ebook"), ".pdf": ("pdf", "ebook"), ".mobi": ("mobi", "ebook"),
           ".m4b": ("m4b", "audiobook"), ".mp3": ("mp3", "audiobook"), ".flac": ("flac", "audiobook"),
           ".ogg": ("ogg", "audiobook"), ".opus": ("opus", "audiobook")}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def raw_members(path: Path) -> dict[str, tuple[bytes, int, int, tuple]]:
    """Each member's stored (compressed) bytes, compression method, CRC and time, read from the file."""
    found = {}
    with zipfile.ZipFile(path) as archive, path.open("rb") as fh:
        for info in archive.infolist():
            fh.seek(info.header_offset + 26)
            name_length, extra_length = int.from_bytes(fh.read(2), "little"), int.from_bytes(fh.read(2), "little")
            fh.seek(info.header_offset + 30 + name_length + extra_length)
            found[info.filename] = (fh.read(info.compress_size), info.compress_type, info.CRC, info.date_time)
    return found


def file_record(library: Path, relative: str, file_id: int = 1) -> FileRecord:
    path = library / relative
    fmt, kind = FORMATS[path.suffix.lower()] if path.is_file() else FORMATS[next(
        p.suffix.lower() for p in sorted(path.rglob("*")) if p.suffix.lower() in FORMATS)]
    size = path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return FileRecord(file_id, relative, fmt, kind, size, "0" * 64)


def make_work(files: tuple[FileRecord, ...] = (), **changes: object) -> WorkDetail:
    values: dict[str, object] = dict(
        id=7, title="The Lantern Keeper's Archive", sort_title="Lantern Keeper's Archive", subtitle=None,
        description="A keeper of lanterns finds a lost archive, and what it remembers.",
        language="fr", publisher="Harbour House", first_published="2009-10-12", status="owned", rating=None,
        cover_path=None,
        contributors=(Contributor("Ursula K. Le Guin", "author", "Le Guin, Ursula K."),
                      Contributor("Sven Eklund", "author", "Eklund, Sven"),
                      Contributor("Rosa Quintero", "narrator", "Quintero, Rosa")),
        series=(SeriesRef("Harbour Lights", "3", 3.0),),
        identifiers={"isbn": "9780141036144", "asin": "B0WRITEB01", "openlibrary": "OL1W"},
        tags=(), files=files, locked_fields=frozenset(), added_at=datetime(2024, 5, 1, 12, 0, 0))
    values.update(changes)
    return WorkDetail(**values)  # type: ignore[arg-type]
