"""Is a finished download the book it claims to be? Its size, then its first bytes.

Servers lie: a Content-Length that is not what they send, ``application/octet-stream`` or
``text/html`` for an EPUB, and an HTML login or error page saved under the book's name. The
file is judged by its content (``importer.sniff``), never by what the server said it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bookdesk.core.importer.formats import FORMATS, BookFormat, format_of
from bookdesk.core.importer.sniff import LABELS, inspect, same_family

_BY_NAME = {f.name: f for f in FORMATS.values()}


def size_text(size: int) -> str:
    """ "1,234 bytes", "12.3 MB": exact when small, where a lie of a few bytes matters."""
    return f"{size:,} bytes" if size < 1_048_576 else f"{size / 1_048_576:,.1f} MB"


class FileCheckError(Exception):
    """The download is not what it should be; the message says why, for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class CheckedFile:
    format: BookFormat  # what the content is
    size: int


def claimed_format(expected: str | None, name: str | None) -> BookFormat | None:
    """The format a download claims: the one its source named, else its file name's extension."""
    if expected:
        found = _BY_NAME.get(expected.lower().lstrip("."))
        if found is not None:
            return found
    return format_of(Path(name)) if name else None


def check_download(path: Path, *, expected_size: int | None, claimed: BookFormat | None,
                   strict: bool) -> CheckedFile:
    """Check a complete download; raises FileCheckError when it is not a book of the claimed format.

    ``expected_size``: the total the server announced (Content-Length or Content-Range), if any.
    ``strict``: the source named the format (an OPDS link, a release): another book format is an
    error. Otherwise the format was only guessed from a name, and the content decides.
    """
    size = path.stat().st_size
    if expected_size is not None and size != expected_size:
        raise FileCheckError(f"The server announced {size_text(expected_size)} but sent {size_text(size)}; "
                             "the download is incomplete or padded.")
    if size == 0:
        raise FileCheckError("The server sent an empty file.")
    sniffed = inspect(path)
    wanted = LABELS.get(claimed.name, claimed.name.upper()) if claimed else "a book"
    if sniffed.format is None:
        if sniffed.conclusive or claimed is None:
            raise FileCheckError(f"The download is not {wanted}: it is {sniffed.description}.")
        return CheckedFile(claimed, size)  # not recognised, but named as a book: the reader decides
    if claimed is not None and strict and not same_family(sniffed.format, claimed):
        raise FileCheckError(f"The download is not {wanted}: it is {sniffed.description}.")
    return CheckedFile(sniffed.format, size)
