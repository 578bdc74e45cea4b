"""A book's cover chosen by hand: from a picture on this computer, from an address on the web, or
from the book's own files (the picture inside an EPUB, an M4B's or MP3's tags, a PDF...).

Each source gives a ``CoverImage`` whose bytes were checked to be a real picture (``cover_image``)
before anything is written. Setting it writes the file beside the book, under a new name so the old
cover stays for undo (``identify/covers.py``, the writer identification uses too), and changes
``cover_path`` through ``EditService``: one FieldChange, by "you", under one Ref that undo reverts.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bookdesk.core.editing.cover_image import CoverError, CoverImage, checked_image
from bookdesk.core.editing.service import BookEdits, EditOutcome, EditService
from bookdesk.core.identify.covers import write_cover_file
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.work_repository import WorkRepository

if TYPE_CHECKING:
    from bookdesk.core.jobs import JobContext
    from bookdesk.core.net.client import HttpClient

__all__ = ["CoverError", "CoverImage", "apply_with_cover", "cover_from_book", "cover_from_file",
           "cover_from_url", "run_edit", "set_cover"]

MAX_COVER_BYTES = 16 * 1024 * 1024  # as the readers allow for a cover inside a book
NAME = "cover"  # cover.jpg beside the book, as the importer names it; "cover (2).jpg" beside that


def cover_from_file(path: Path) -> CoverImage:
    """The picture in ``path``, checked; CoverError when it is none, too large or unreadable."""
    try:
        if path.stat().st_size > MAX_COVER_BYTES:
            raise CoverError(f"{path.name} is larger than {MAX_COVER_BYTES // (1024 * 1024)} MB; "
                             "a cover is a picture of a few hundred kilobytes.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise CoverError(f"{path} does not exist (any more).") from None
    except IsADirectoryError:
        raise CoverError(f"{path.name} is a folder, not a picture.") from None
    except OSError as exc:
        raise CoverError(f"{path.name} cannot be read ({exc.strerror or exc}).") from None
    return checked_image(data, path.name)


async def cover_from_url(net: HttpClient, url: str) -> CoverImage:
    """The picture at ``url``, fetched through the app's one HTTP client (its User-Agent, deadline
    and pacing), read no further than MAX_COVER_BYTES. Run it on the worker's loop."""
    from bookdesk.core.net.errors import NetworkError, NotFound

    address = url.strip()
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CoverError(f"{address or 'An empty address'} is not a web address (http:// or https://).")
    try:
        data = await net.get_bytes(address, user_waiting=True, max_bytes=MAX_COVER_BYTES, service="Cover")
    except NotFound:
        raise CoverError(f"There is no picture at {address} (the server answered 404, not found).") from None
    except NetworkError as exc:
        raise CoverError(f"The cover could not be fetched: {exc.message}") from None
    return checked_image(data, f"What {parts.netloc} sent")


def cover_from_book(library: Path, work: WorkDetail) -> CoverImage:
    """The cover inside the book's own files, read as the importer reads them (its readers find the
    picture in an EPUB's package, an audiobook's tags, a PDF, a CBZ's first page). A picture that is
    already the book's cover is passed over for the next file's."""
    from bookdesk.core.importer.discovery import discover
    from bookdesk.core.importer.readers import read_unit
    from bookdesk.errors import ImportFailedError

    current = _current_cover(library, work)
    found_one, reasons = False, []
    for record in sorted(work.files, key=lambda f: f.media_kind != "ebook"):  # an ebook's cover first
        units, problems = discover([library.joinpath(*record.path.split("/"))])
        reasons += [problem.reason for problem in problems]
        for unit in units:
            try:
                meta = read_unit(unit)
            except ImportFailedError as exc:
                reasons.append(exc.message)
                continue
            if not meta.cover:
                continue
            found_one = True
            if meta.cover != current:
                return checked_image(meta.cover, f"The cover inside {unit.primary.name}")
    if found_one:
        raise CoverError(f"The files of {work.title!r} hold no other cover than the one it has.")
    if reasons:
        raise CoverError(f"No cover could be read from the files of {work.title!r}: {' '.join(reasons)}")
    raise CoverError(f"The files of {work.title!r} hold no cover." if work.files
                     else f"{work.title!r} has no files to take a cover from.")


def _current_cover(library: Path, work: WorkDetail) -> bytes | None:
    if not work.cover_path:
        return None
    try:
        return library.joinpath(*work.cover_path.split("/")).read_bytes()
    except OSError:
        return None


def apply_with_cover(service: EditService, work_id: int, edits: BookEdits, image: CoverImage) -> EditOutcome:
    """``edits`` to one book, with ``image`` as its cover, in one edit (one Ref). The picture is written
    first, beside the book; if the edit is refused, a picture written for it is taken away again."""
    library = service.catalog.folder
    with service.catalog.read() as session:
        work = WorkRepository(session).detail(work_id)
    try:
        relative, written = write_cover_file(library, work, image.data, image.ext, NAME)
    except OSError as exc:
        raise CoverError(f"The cover cannot be written beside {work.title!r} ({exc.strerror or exc}).") from None
    try:
        return service.apply([work_id], dataclasses.replace(edits, fields={**edits.fields, "cover_path": relative}))
    except BaseException:
        if written:
            library.joinpath(*relative.split("/")).unlink(missing_ok=True)
        raise


def set_cover(service: EditService, work_id: int, image: CoverImage) -> EditOutcome:
    """``image`` as the cover of one book: a FieldChange of ``cover_path`` that undo reverts."""
    return apply_with_cover(service, work_id, BookEdits(), image)


async def run_edit(ctx: JobContext, service: EditService, work_id: int, edits: BookEdits,
                   image: CoverImage | None) -> EditOutcome:
    """The Edit Metadata dialog's edit of one book as a job (``Worker.submit``), with a new cover or
    without: in Activity under the edit's Ref, with its summary."""
    if image is None:
        return await service.run(ctx, [work_id], edits)
    outcome = await asyncio.to_thread(apply_with_cover, service, work_id, edits, image)  # the Ref goes along
    ctx.summary = outcome.summary()
    return outcome
