"""What a file really is, from its first bytes rather than its name.

Downloads arrive misnamed: an HTML error page saved as ``book.epub``, a PDF called
``.mobi``, an M4B called ``.mp3``. ``sniff`` names the book format the content is, and
``inspect`` also says in words what a non-book file is, for the problem shown to the user.
Only a few kilobytes are read, plus a zip's directory when its first member does not
already say "EPUB".
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from bookdesk.core.importer.formats import FORMATS, BookFormat
from bookdesk.core.importer.readers import safe_zip
from bookdesk.errors import ImportFailedError

_HEAD_BYTES = 4096
_EPUB_MIMETYPE = b"application/epub+zip"
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
# Formats that share a container: a difference inside a family is not a wrong extension
# (ffmpeg writes .m4b files with the brand "M4A ", calibre's .azw is a MOBI).
FAMILIES = ({"m4a", "m4b"}, {"mobi", "azw3"}, {"ogg", "opus"})
_FORMAT = {f.name: f for f in FORMATS.values()}
_DAMAGED = "damaged-zip"
# Each format with its article, for "is not really an EPUB (it is an HTML page)".
LABELS = {"epub": "an EPUB", "pdf": "a PDF", "mobi": "a MOBI book", "azw3": "an AZW3 book", "cbz": "a CBZ comic",
          "m4b": "an M4B audiobook", "m4a": "an M4A audio file", "mp3": "an MP3 file", "flac": "a FLAC file",
          "ogg": "an Ogg audio file", "opus": "an Opus audio file"}
_MP4_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"mp42", b"mp41", b"isom", b"iso2", b"dash", b"3gp4", b"3gp5"}


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the first bytes say. ``format`` None and ``conclusive`` True: surely no book (an HTML
    page, an image); ``conclusive`` False: the bytes were not recognised, so the extension is
    trusted and the reader decides."""

    format: BookFormat | None
    conclusive: bool
    description: str  # "an HTML page", "a PDF", ... for messages


def sniff(path: Path) -> BookFormat | None:
    """The book format the file's content is, or None when it is no book format BookDesk reads
    (an HTML page, text, an image, an unknown or empty file)."""
    return inspect(path).format


def same_family(a: BookFormat, b: BookFormat) -> bool:
    """True when the two formats share a container, so one named as the other is not misnamed."""
    return a.name == b.name or any(a.name in family and b.name in family for family in FAMILIES)


def inspect(path: Path) -> Sniffed:
    """The format the content is, whether that is sure, and what it is in words."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
            name = _sniff_head(head)
            if name == "mobi":
                name = _mobi_kind(fh, head)
    except OSError as exc:
        return Sniffed(None, False, f"unreadable ({exc.strerror or exc})")
    if name == "zip":
        name = _sniff_zip(path)
        if name == _DAMAGED:
            return Sniffed(None, False, "a damaged ZIP archive")
        if name is None:
            return Sniffed(None, True, "a ZIP archive that is neither an EPUB nor a comic")
    if name is not None:
        return Sniffed(_FORMAT[name], True, LABELS[name])
    return _not_a_book(head)


def _not_a_book(head: bytes) -> Sniffed:
    if not head:
        return Sniffed(None, True, "empty")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for marker, words in ((b"<!doctype html", "an HTML page"), (b"<html", "an HTML page"), (b"<head", "an HTML page"),
                          (b"<?xml", "an XML file"), (b"{", "a JSON document")):
        if stripped.startswith(marker):
            return Sniffed(None, True, words)
    for magic, words in ((b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\x1f\x8b", "a gzip file"),
                         (b"\xff\xd8\xff", "a JPEG image"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
                         (b"AT&TFORM", "a DjVu document"), (b"MZ", "a Windows program"), (b"\x7fELF", "a program"),
                         (b"PK\x05\x06", "an empty ZIP archive")):
        if head.startswith(magic):
            return Sniffed(None, True, words)
    if b"\x00" not in head[:1024]:
        try:
            head[:1024].decode("utf-8")
            return Sniffed(None, True, "a text file")
        except UnicodeDecodeError:
            pass
    return Sniffed(None, False, "not a format BookDesk recognises")


def _sniff_head(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04"):
        # An EPUB's first member is an uncompressed "mimetype" naming it: no need to open the zip.
        if head[30:38] == b"mimetype" and head[38:58] == _EPUB_MIMETYPE:
            return "epub"
        return "zip"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[60:68] == b"BOOKMOBI":
        return "mobi"  # or AZW3: see _mobi_kind
    if head[4:8] == b"ftyp":
        return _mp4_kind(head)
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return _ogg_kind(head)
    if head.startswith(b"ID3"):
        return _after_id3(head)
    if _mpeg_frame(head):
        return "mp3"
    return None


def _mobi_kind(fh: BinaryIO, head: bytes) -> str:
    """KF8-only books (MOBI header version 8 or later) are AZW3; older or joint files are MOBI.
    The version sits in record 0, which may lie past the head in a book of many records."""
    if len(head) < 86:
        return "mobi"
    (record0,) = struct.unpack(">I", head[78:82])
    fh.seek(record0)
    header = fh.read(40)
    if header[16:20] == b"MOBI" and len(header) == 40:
        (version,) = struct.unpack(">I", header[36:40])
        return "azw3" if version >= 8 else "mobi"
    return "mobi"


def _mp4_kind(head: bytes) -> str | None:
    brand = head[8:12]
    if brand == b"M4B ":
        return "m4b"
    if brand in _MP4_AUDIO_BRANDS:
        return "m4a"
    return None  # video brands (qt, M4V, avc1...) are not audiobooks


def _ogg_kind(head: bytes) -> str | None:
    """The codec is named by the first packet of the first page."""
    if len(head) < 28:
        return None
    packet = head[27 + head[26]:]
    if packet.startswith(b"\x01vorbis") or packet.startswith(b"\x7fFLAC"):
        return "ogg"
    if packet.startswith(b"OpusHead"):
        return "opus"
    return None


def _after_id3(head: bytes) -> str:
    """An ID3 tag usually starts an MP3, but taggers also put one before FLAC data."""
    if len(head) >= 10:
        size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
        end = 10 + size + (10 if head[5] & 0x10 else 0)
        if head[end:end + 4] == b"fLaC":
            return "flac"
    return "mp3"


def _mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header: eleven sync bits, a known version and layer, a usable bitrate."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0x3, (head[1] >> 1) & 0x3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0x3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def _sniff_zip(path: Path) -> str | None:
    """EPUB by its container, CBZ by its images; any other zip is no book."""
    try:
        with path.open("rb") as fh:
            safe_zip.check_directory(fh, path.name)
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ImportFailedError, OSError, ValueError, EOFError):
        return _DAMAGED  # probably what its name says, damaged; its reader will explain
    if "META-INF/container.xml" in names or "mimetype" in names[:1]:
        return "epub"
    files = [n for n in names if not n.endswith("/")]
    images = [n for n in files if n.lower().endswith(_IMAGE_SUFFIXES)]
    if images and len(images) * 2 >= len(files):
        return "cbz"
    return None
