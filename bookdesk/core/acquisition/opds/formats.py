"""Which book format an acquisition link offers, from its MIME type (and, when that says too little,
from the file name at the end of its address)."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

# MIME type -> BookDesk's format name. Servers disagree on the names of the Kindle, comic and
# audio types, so each format has every spelling seen in calibre, Kavita, Komga, Standard Ebooks
# and Project Gutenberg feeds.
FORMAT_OF_MIME: dict[str, str] = {
    "application/epub+zip": "epub",
    "application/kepub+zip": "kepub",
    "application/x-mobipocket-ebook": "mobi",
    "application/vnd.amazon.ebook": "azw3",
    "application/x-mobi8-ebook": "azw3",
    "application/x-topaz-ebook": "azw",
    "application/pdf": "pdf",
    "application/vnd.comicbook+zip": "cbz",
    "application/x-cbz": "cbz",
    "application/vnd.comicbook-rar": "cbr",
    "application/x-cbr": "cbr",
    "application/x-cb7": "cb7",
    "application/x-cbt": "cbt",
    "audio/mp4": "m4b",
    "audio/x-m4b": "m4b",
    "audio/m4b": "m4b",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "text/fb2+xml": "fb2",
    "application/x-fictionbook+xml": "fb2",
    "application/fb2+zip": "fb2",
    "image/vnd.djvu": "djvu",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
    "text/plain": "txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/x-sony-bbeb": "lrf",
    "application/ereader": "pdb",
}

# Types that say "a file" and nothing more: Komga serves CBZ comics as application/zip.
_GENERIC = frozenset({"application/zip", "application/x-zip-compressed", "application/octet-stream",
                      "application/x-rar-compressed", "application/vnd.rar", "binary/octet-stream"})

# Extensions that name a format outright, for links whose type is generic.
_FORMAT_OF_EXTENSION: dict[str, str] = {
    "epub": "epub", "kepub": "kepub", "mobi": "mobi", "azw3": "azw3", "azw": "azw", "pdf": "pdf",
    "cbz": "cbz", "cbr": "cbr", "cb7": "cb7", "m4b": "m4b", "m4a": "m4b", "mp3": "mp3", "fb2": "fb2",
    "djvu": "djvu", "rtf": "rtf", "txt": "txt", "docx": "docx", "odt": "odt",
}

# Format -> the MIME type BookDesk names it by: what it asks a catalog for, and what its own OPDS feeds
# (serve/opds) give every format the library may hold, audiobooks included.
MIME_OF_FORMAT: dict[str, str] = {
    "epub": "application/epub+zip", "kepub": "application/kepub+zip", "mobi": "application/x-mobipocket-ebook",
    "azw": "application/x-mobipocket-ebook", "azw3": "application/vnd.amazon.ebook", "pdf": "application/pdf",
    "cbz": "application/vnd.comicbook+zip", "cbr": "application/vnd.comicbook-rar", "cb7": "application/x-cb7",
    "cbt": "application/x-cbt", "fb2": "text/fb2+xml", "djvu": "image/vnd.djvu", "rtf": "application/rtf",
    "txt": "text/plain", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text", "lrf": "application/x-sony-bbeb", "pdb": "application/ereader",
    "m4b": "audio/mp4", "m4a": "audio/mp4", "mp3": "audio/mpeg", "flac": "audio/flac", "ogg": "audio/ogg",
    "opus": "audio/ogg",  # Opus in its Ogg container (RFC 7845)
}

AUDIO_FORMATS = frozenset({"m4b", "mp3"})


def media_type(value: str | None) -> str:
    """``value`` without its parameters, in lower case: ``application/epub+zip; charset=x`` -> ``application/epub+zip``."""
    return (value or "").split(";", 1)[0].strip().lower()


def format_for(mime: str | None, href: str = "") -> str | None:
    """The format a link with this type and address offers, or None when it is not a book file we know
    (an HTML page, a reader's streaming link)."""
    kind = media_type(mime)
    found = FORMAT_OF_MIME.get(kind)
    if found is not None:
        return found
    if kind and kind not in _GENERIC:
        return None
    return _format_from_name(href)


def _format_from_name(href: str) -> str | None:
    path = unquote(urlsplit(href).path)
    name = posixpath.basename(path).lower()
    for double in ("kepub.epub",):  # Kobo's own EPUB flavour
        if name.endswith("." + double):
            return "kepub"
    _, dot, extension = name.rpartition(".")
    return _FORMAT_OF_EXTENSION.get(extension) if dot else None
