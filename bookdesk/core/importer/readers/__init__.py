"""One reader per format; ``read_unit`` picks the right one and adds what sidecars and names say.

Precedence, strongest first: a sidecar someone curated (calibre's metadata.opf,
Audiobookshelf's metadata.json), then the file's own metadata, then guesses from file and
folder names, which only fill gaps. Whatever goes wrong inside a parser leaves here as an
ImportFailedError naming the file, so one bad file fails alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.units import BookUnit
from bookdesk.errors import ImportFailedError

log = logging.getLogger(__name__)

MAX_FOLDER_COVER_BYTES = 16 * 1024 * 1024
# Cover images that calibre, Audiobookshelf and rippers leave beside a book.
_FOLDER_COVERS = ("cover.jpg", "cover.jpeg", "cover.png", "folder.jpg", "folder.png")


def read_unit(unit: BookUnit) -> BookMetadata:
    """Everything the book says about itself: file, sidecar, then file and folder names.

    Raises ImportFailedError, with a message naming the file, when the file cannot be read.
    """
    name = unit.primary.name
    try:
        own = _reader(unit.format.name)(unit)
    except ImportFailedError as exc:
        if any(part.name in exc.message for part in unit.parts) or exc.message.startswith(unit.primary.parent.name):
            raise  # it already says which file
        raise ImportFailedError(f"{name}: {exc.message}", detail=exc.detail) from exc
    except MemoryError as exc:
        raise ImportFailedError(f"{name} needs more memory to read than BookDesk allows for one book.") from exc
    except RecursionError as exc:
        raise ImportFailedError(f"{name} is nested too deeply to read; it is probably damaged.") from exc
    except Exception as exc:  # a parser's own error type: one bad file must fail alone
        log.warning("reading %s failed inside the parser", unit.primary, exc_info=True)
        raise ImportFailedError(f"{name} could not be read ({type(exc).__name__}: {exc}).") from exc
    meta = own
    sidecar = _sidecar(unit)
    if sidecar is not None:
        meta = sidecar.filled_from(meta)
    names = _names(unit)
    if names.title and _is_part_name(meta.title):
        meta.title = ""  # a tag saying "Track 01" or "Audio File" names a part, not the book its folder names
    meta = meta.filled_from(names)
    if meta.cover is None:
        meta.cover, meta.cover_ext = _folder_cover(unit)
    return meta


def _reader(format_name: str) -> Callable[[BookUnit], BookMetadata]:
    # Imported here so a process that only reads EPUBs never loads pypdf or mutagen.
    if format_name == "epub":
        from bookdesk.core.importer.readers.epub import read_epub
        return lambda unit: read_epub(unit.primary)
    if format_name == "pdf":
        from bookdesk.core.importer.readers.pdf import read_pdf
        return lambda unit: read_pdf(unit.primary)
    if format_name in ("mobi", "azw3"):
        from bookdesk.core.importer.readers.mobi import read_mobi
        return lambda unit: read_mobi(unit.primary)
    if format_name == "cbz":
        from bookdesk.core.importer.readers.cbz import read_cbz
        return lambda unit: read_cbz(unit.primary)
    if format_name in ("m4b", "m4a", "mp3", "flac", "ogg", "opus"):
        from bookdesk.core.importer.readers.audio import read_audio
        return read_audio
    raise ImportFailedError(f"{format_name.upper()} files cannot be read by BookDesk.")


def _book_folder(unit: BookUnit) -> Path:
    """The folder the book's sidecars would be in: for a book in disc folders, their parent."""
    from bookdesk.core.importer.layouts import book_folder

    return book_folder(unit)


def _sidecar(unit: BookUnit) -> BookMetadata | None:
    from bookdesk.core.importer import sidecars

    folder = _book_folder(unit)
    try:
        if not sidecars.has_sidecar(folder) or not _folder_is_one_book(unit, folder):
            return None
        return sidecars.read_sidecars(folder)
    except Exception:  # a sidecar is a bonus: never the reason a book fails
        log.warning("the sidecars beside %s could not be read", unit.primary, exc_info=True)
        return None


def _names(unit: BookUnit) -> BookMetadata:
    from bookdesk.core.importer.layouts import parse_names

    try:
        return parse_names(unit)
    except Exception:  # names are guesses; a bug there must not cost the book
        log.warning("the names of %s could not be parsed", unit.primary, exc_info=True)
        return BookMetadata()


def _is_part_name(title: str) -> bool:
    from bookdesk.vocabulary.titles import is_part_name

    return bool(title) and is_part_name(title)


def _folder_is_one_book(unit: BookUnit, folder: Path) -> bool:
    """A sidecar describes one book. It applies when the folder holds only this book: its parts,
    or files of one name in several formats ("Title.epub", "Title.pdf", calibre's layout).
    In a folder of many books, one stray metadata.opf must not rename them all."""
    from bookdesk.core.importer.formats import FORMATS

    mine = set(unit.parts)
    stems = {unit.primary.stem.casefold()}
    audio = unit.format.media_kind == "audiobook"
    for entry in folder.iterdir():
        if entry in mine or entry.name.startswith(".") or entry.suffix.lower() not in FORMATS:
            continue
        other = FORMATS[entry.suffix.lower()]
        if audio and other.media_kind == "audiobook":
            return False  # a second audiobook beside this one
        if not audio and other.media_kind == "ebook" and entry.stem.casefold() not in stems:
            return False
    return True


def _folder_cover(unit: BookUnit) -> tuple[bytes | None, str | None]:
    """cover.jpg or folder.jpg beside a book that has no cover of its own."""
    from bookdesk.core.importer.readers.tag_values import image_ext

    folder = _book_folder(unit)
    for name in _FOLDER_COVERS:
        path = folder / name
        try:
            if path.is_file() and path.stat().st_size <= MAX_FOLDER_COVER_BYTES and _folder_is_one_book(unit, folder):
                with path.open("rb") as fh:
                    data = fh.read(MAX_FOLDER_COVER_BYTES + 1)
                if len(data) <= MAX_FOLDER_COVER_BYTES and (ext := image_ext(data)):
                    return data, ext
        except OSError:
            continue
    return None, None
