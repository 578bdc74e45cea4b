"""The book formats BookDesk imports: by file extension, checked against the file's first bytes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class BookFormat:
    name: str  # epub, pdf, mobi, azw3, cbz, m4b, m4a, mp3, flac, ogg, opus
    media_kind: str  # ebook | audiobook


FORMATS: dict[str, BookFormat] = {
    ".epub": BookFormat("epub", "ebook"),
    ".kepub": BookFormat("epub", "ebook"),
    ".pdf": BookFormat("pdf", "ebook"),
    ".mobi": BookFormat("mobi", "ebook"),
    ".azw": BookFormat("mobi", "ebook"),
    ".azw3": BookFormat("azw3", "ebook"),
    ".cbz": BookFormat("cbz", "ebook"),
    ".m4b": BookFormat("m4b", "audiobook"),
    ".m4a": BookFormat("m4a", "audiobook"),
    ".mp3": BookFormat("mp3", "audiobook"),
    ".flac": BookFormat("flac", "audiobook"),
    ".ogg": BookFormat("ogg", "audiobook"),
    ".oga": BookFormat("ogg", "audiobook"),
    ".opus": BookFormat("opus", "audiobook"),
}

AUDIO_EXTENSIONS = frozenset(ext for ext, f in FORMATS.items() if f.media_kind == "audiobook")


def format_of(path: Path) -> BookFormat | None:
    return FORMATS.get(path.suffix.lower())
