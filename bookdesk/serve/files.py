"""``file_response``: one file of the library streamed to a reader, resumable, and nothing outside it.

A path is the catalog's: relative to the library ('/' separated), or absolute for a book brought over in
place from a calibre library, whose files stay in calibre's folder. It is refused with 404, the same
answer as a missing file so a prober learns nothing, when it climbs with "..", carries an encoded or a
back slash, or resolves (through any symlink) outside every folder that may be served: the library's,
for a relative path; for an absolute one, the calibre library folders the catalog links books to
(data/served_folders.py), read afresh for each such file. The file is opened once and everything after
reads that open file, so swapping a symlink between the check and the read changes nothing.

Range (RFC 9110 §14): one range is served as 206 with Content-Range; a range past the end is 416; a
Range this code does not serve (several ranges, another unit, a malformed one) is ignored and the whole
file sent, as the RFC allows. If-Range with a validator that no longer matches sends the whole file,
so a resumed download never splices two versions. ETag and Last-Modified come from the size and the
modification time; If-None-Match and If-Modified-Since answer 304.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import AsyncIterator
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote

import anyio
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from bookdesk.data.catalog_file import CATALOG_NAME
from bookdesk.data.served_folders import calibre_folders
from bookdesk.errors import NotFoundError
from bookdesk.serve.context import ServeContext

# Sent 256 KiB at a time. Each piece the page cache holds is read on the event loop without waiting
# (preadv with RWF_NOWAIT); only a piece that needs the disk is read on a worker thread, where the loop
# would have waited for it. A hop to a thread for every piece cost more CPU than sending it (bench/serve.py:
# 0.7-1.4 CPU seconds a GB against 0.3 read on the loop, python -m http.server's 0.25-0.3), and pieces of
# 4 MiB were slower still: asyncio keeps what the socket does not take at once in a buffer it shifts down
# after each send.
SLICE = 256 * 1024
_NOWAIT = getattr(os, "RWF_NOWAIT", None)  # Linux 4.14+; elsewhere every piece is read on a thread
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_ENCODED_SEPARATOR = re.compile(r"%(2f|5c|2e)", re.IGNORECASE)
_DRIVE = re.compile(r"[A-Za-z]:")  # "C:..." is absolute on Windows


async def file_response(request: Request, ctx: ServeContext, relative_path: str,
                        media_type: str | None = None) -> Response:
    """The library file at ``relative_path`` for ``request`` (GET or HEAD); 404 for any path outside."""
    handle = await anyio.to_thread.run_sync(open_served, ctx, relative_path)
    try:
        info = os.fstat(handle)
        validators = _validators(info)
        headers = {**validators, "Accept-Ranges": "bytes", "Content-Disposition": _disposition(relative_path)}
        kind = media_type or "application/octet-stream"
        if _not_modified(request, validators, info.st_mtime):
            os.close(handle)
            return Response(status_code=304, headers=validators)
        size = info.st_size
        span = _span(request, validators, size)
        if span == "unsatisfiable":
            os.close(handle)
            return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        start, end = span if span is not None else (0, size - 1)
        headers["Content-Length"] = str(end - start + 1)
        status = 200
        if span is not None:
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        if request.method == "HEAD":
            os.close(handle)
            return Response(status_code=status, headers=headers, media_type=kind)
    except BaseException:
        _close_quietly(handle)
        raise
    return StreamingResponse(_chunks(handle, start, end), status_code=status, headers=headers, media_type=kind)


def open_served(ctx: ServeContext, path: str) -> int:
    """A read-only descriptor of the regular file at the catalog's ``path``, inside the library or a
    linked calibre library, else NotFoundError."""
    missing = NotFoundError("There is no such file in this library.")
    absolute = path.startswith("/") or bool(_DRIVE.match(path))
    parts = path.split("/")[1:] if path.startswith("/") else path.split("/")
    if (not path or "\\" in path or "\x00" in path or _ENCODED_SEPARATOR.search(path)
            or any(part in ("", ".", "..") for part in parts)):
        raise missing
    if not absolute:
        return _open_inside((ctx.library.resolve(),), ctx.library / path, missing)
    if not (ctx.library / CATALOG_NAME).is_file():  # no catalog, so no calibre library linked to it
        raise missing
    with ctx.reading() as connection:
        folders = calibre_folders(connection)
    roots = tuple(root for root in map(_resolved, folders) if root is not None)
    return _open_inside(roots, Path(path), missing)


def _resolved(folder: str) -> Path | None:
    try:
        return Path(folder).resolve(strict=True)
    except (OSError, RuntimeError):  # a calibre library gone (an unplugged disk): nothing is inside it
        return None


def _open_inside(roots: tuple[Path, ...], path: Path, missing: NotFoundError) -> int:
    """A read-only descriptor of the regular file ``path`` whose real path is inside one of ``roots``."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a symlink loop, a name too long
        raise missing from None
    if not any(target.is_relative_to(root) and target != root for root in roots):
        raise missing
    try:
        handle = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        raise missing from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):  # a folder, a FIFO, a device
        os.close(handle)
        raise missing
    if hasattr(os, "posix_fadvise"):  # read from start to end: the kernel reads further ahead
        os.posix_fadvise(handle, 0, 0, os.POSIX_FADV_SEQUENTIAL)
    return handle


def _validators(info: os.stat_result) -> dict[str, str]:
    return {"ETag": f'"{info.st_size:x}-{info.st_mtime_ns:x}"',
            "Last-Modified": formatdate(info.st_mtime, usegmt=True)}


def _not_modified(request: Request, validators: dict[str, str], mtime: float) -> bool:
    """Whether the client's copy is current (If-None-Match, or else If-Modified-Since)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or validators["ETag"] in tags
    since = _http_date(request.headers.get("if-modified-since"))
    return since is not None and int(mtime) <= since


def _span(request: Request, validators: dict[str, str], size: int) -> tuple[int, int] | str | None:
    """The one byte range to send (first, last), "unsatisfiable", or None for the whole file."""
    header = request.headers.get("range")
    if header is None or request.method not in ("GET", "HEAD"):
        return None
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range.strip() not in (validators["ETag"], validators["Last-Modified"]):
        return None  # the file changed since the client's part: it gets the whole new one
    matched = _RANGE.fullmatch(header.strip())
    if matched is None or matched.group(1) == matched.group(2) == "":
        return None
    first, last = matched.group(1), matched.group(2)
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # "bytes=9-3" is not a range at all
    if start >= size:
        return "unsatisfiable"
    return start, end


async def _chunks(handle: int, start: int, end: int) -> AsyncIterator[bytes]:
    position = start
    nowait = _NOWAIT is not None
    try:
        while position <= end:
            size = min(SLICE, end - position + 1)
            block = _cached(handle, size, position) if nowait else None
            if block is None:
                block = await anyio.to_thread.run_sync(os.pread, handle, size, position)
            if not block:  # the file shrank while it was sent: stop, Content-Length will not be met
                break
            position += len(block)
            yield block
    finally:
        os.close(handle)


def _cached(handle: int, size: int, position: int) -> bytes | None:
    """The ``size`` bytes at ``position`` when the page cache holds them all, read without waiting for
    the disk; None when any of them must come from the disk (or the file system cannot say)."""
    buffer = bytearray(size)
    try:
        got = os.preadv(handle, [buffer], position, _NOWAIT)  # type: ignore[arg-type]
    except OSError:  # EAGAIN: not all in the cache; EOPNOTSUPP: this file system does not say
        return None
    return bytes(buffer) if got == size else None


def _disposition(relative_path: str) -> str:
    """The file's own name, for a reader that saves the file under what the server calls it."""
    name = relative_path.rsplit("/", 1)[-1]
    return f"inline; filename*=UTF-8''{quote(name, safe='')}"


def _http_date(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError, IndexError):
        return None


def _close_quietly(handle: int) -> None:
    with contextlib.suppress(OSError):
        os.close(handle)
