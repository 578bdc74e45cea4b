"""One streamed HTTP download into a ``.part`` file, resumed with ``Range`` + ``If-Range``.

The body goes to disk chunk by chunk as it arrives, so memory stays flat whatever the size. A
``.part`` file with bytes in it is resumed from its size on disk (which is what survived a
dropped connection or a killed app), asking the server for the rest only if the file is still
the one those bytes came from (``If-Range`` with the ETag or Last-Modified seen first). A
server that answers 200 instead of 206 is sending the whole file again: the part starts over.
Without a validator a part is never resumed: splicing two versions of a file makes a broken book.

Everything that can go wrong becomes a ``FetchError`` saying whether trying again may help.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import unquote, urlsplit

import httpx

from bookdesk.core.acquisition.file_check import size_text
from bookdesk.core.acquisition.transfer_thread import TransferThread
from bookdesk.core.disk_full import is_disk_full
from bookdesk.core.net.deadline import MIN_PROGRESS, DeadlineExceeded, StallWatch
from bookdesk.core.net.host_name import host_key  # the queue names hosts with it too
from bookdesk.core.net.retry_after import retry_after_seconds
from bookdesk.redaction import redact_url

MAX_BYTES = 8 * 1024**3  # no book is bigger; a server streaming forever is hostile or broken
_CONTENT_RANGE = re.compile(r"bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)", re.IGNORECASE)
_FILENAME_STAR = re.compile(r"filename\*\s*=\s*([\w-]+)''([^;]+)", re.IGNORECASE)
_FILENAME = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))', re.IGNORECASE)
_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class PartOpener(Protocol):
    """Opens the ``.part`` file for writing: appending to what is there, or from nothing.

    The seam tests use to make the disk full; the app uses ``open_part``."""

    def __call__(self, path: Path, append: bool) -> BinaryIO: ...


def open_part(path: Path, append: bool) -> BinaryIO:
    return path.open("ab" if append else "wb")


class FetchError(Exception):
    """A download attempt that did not finish. ``retryable``: another attempt may succeed (a dropped
    connection, 429, 5xx); ``retry_after``: seconds the server asked for; ``disk_full``: a full disk
    (or quota), as core/disk_full.py tells it."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None,
                 retry_after: float | None = None, headers: httpx.Headers | None = None,
                 disk_full: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after
        self.headers = headers
        self.disk_full = disk_full


@dataclass(frozen=True, slots=True)
class Accepted:
    """What the server said when it started sending: told to the caller before the body, so that it
    can be saved (a killed app must find the validator on the next start)."""

    offset: int  # where this answer's bytes go in the file (0: from the start)
    total: int | None  # the whole file's size, when announced
    validator: str | None  # the strong ETag, else Last-Modified
    file_name: str | None  # from Content-Disposition
    content_type: str | None
    status: int
    headers: httpx.Headers


@dataclass(frozen=True, slots=True)
class FetchResult:
    bytes_done: int
    bytes_total: int | None
    validator: str | None
    file_name: str | None
    content_type: str | None
    resumed_from: int  # the offset the server honoured; 0 when it sent the whole file


async def fetch_to_part(http: httpx.Client, url: str, part: Path, *, validator: str | None = None,
                        on_accepted: Callable[[Accepted], None] | None = None,
                        on_progress: Callable[[int, int | None], None] | None = None,
                        opener: PartOpener = open_part, max_bytes: int = MAX_BYTES,
                        auth: httpx.Auth | None = None) -> FetchResult:
    """Download ``url`` into ``part``, resuming from the bytes already there when ``validator`` (the
    ETag or Last-Modified of the first attempt) lets it. ``http``: a blocking client
    (``make_blocking_http``), read on a thread of its own (transfer_thread.py); ``on_accepted`` and
    ``on_progress`` are called on the caller's loop. ``auth``: credentials for a catalog that asks for
    them (answered only to its challenge). Raises FetchError."""
    offset = part.stat().st_size if part.exists() else 0
    headers = {"Accept-Encoding": "identity"}  # bytes on disk must be the bytes a Range counts
    if offset and validator:
        headers["Range"] = f"bytes={offset}-"
        headers["If-Range"] = validator
    elif offset:
        offset = 0  # nothing to prove the file is unchanged: start over rather than splice
    shared: TransferThread[Accepted] = TransferThread(asyncio.get_running_loop())
    request = _Request(http, url, part, headers, offset, validator, opener, max_bytes, auth)
    try:
        # No total deadline here, unlike every other request: an audiobook of a gigabyte on a slow
        # line honestly takes an hour. A stall is what is refused: too few bytes in a whole window.
        async with StallWatch() as watch:
            return await shared.run(lambda: _fetch_blocking(shared, request), watch=watch,
                                    on_answer=on_accepted, on_progress=on_progress)
    except DeadlineExceeded as stalled:
        got = f" after {size_text(shared.done)}" if shared.done else ""
        raise FetchError(f"The download from {host_key(url)} stalled{got}: less than {size_text(MIN_PROGRESS)} "
                         f"came in {stalled.seconds:g} s.", retryable=True) from None


@dataclass(frozen=True, slots=True)
class _Request:
    http: httpx.Client
    url: str
    part: Path
    headers: dict[str, str]
    offset: int
    validator: str | None
    opener: PartOpener
    max_bytes: int
    auth: httpx.Auth | None


def _fetch_blocking(shared: TransferThread[Accepted], request: _Request) -> FetchResult:
    """The request and its body, on the transfer's thread."""
    host = host_key(request.url)
    done = 0
    total: int | None = None
    try:
        with request.http.stream("GET", request.url, headers=request.headers, auth=request.auth) as response:
            accepted = _accept(response, request.offset, request.validator, host)
            total = accepted.total
            shared.answered(accepted, total, accepted.offset, _socket_of(response))
            done = accepted.offset
            if accepted.total is not None and done == accepted.total and response.status_code == 416:
                return _result(accepted, done)
            if accepted.total is not None and accepted.total > request.max_bytes:
                raise FetchError(f"{host} offers {size_text(accepted.total)}, more than any book; not downloaded.",
                                 retryable=False)
            with _open(request.opener, request.part, append=accepted.offset > 0, done=done) as fh:
                for chunk in response.iter_raw():
                    done += len(chunk)
                    if done > request.max_bytes or (accepted.total is not None and done > accepted.total):
                        raise FetchError(f"{host} sent more than the "
                                         f"{size_text(accepted.total or request.max_bytes)} it announced.",
                                         retryable=False)
                    shared.check()  # a cancel or a stall: not one more byte into the part
                    _write(fh, chunk, done - len(chunk), accepted.total)
                    shared.arrived(done)
            if accepted.total is not None and done < accepted.total:
                raise FetchError(f"The connection to {host} ended after {size_text(done)} of "
                                 f"{size_text(accepted.total)}.", retryable=True)
            return _result(accepted, done)
    except httpx.TransportError as exc:
        if total is not None and done < total:
            raise FetchError(f"The connection to {host} ended after {done:,} of the {total:,} bytes it announced "
                             f"({_transport_reason(exc)}).", retryable=True) from exc
        got = f" after {size_text(done)}" if done else ""
        raise FetchError(f"The connection to {host} failed{got} ({_transport_reason(exc)}).",
                         retryable=True) from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"{redact_url(request.url)} is not an address BookDesk can download from ({exc}).",
                         retryable=False) from exc


def _socket_of(response: httpx.Response) -> socket.socket | None:
    """The connection's socket, which the loop shuts to end a read in progress at once."""
    stream = response.extensions.get("network_stream")
    found = stream.get_extra_info("socket") if stream is not None else None
    return found if isinstance(found, socket.socket) else None


def _accept(response: httpx.Response, offset: int, validator: str | None, host: str) -> Accepted:
    """Decide from the status and headers where the bytes go; raise FetchError for an answer that
    brings no book."""
    status = response.status_code
    headers = response.headers
    if status in (200, 206, 416):
        fresh = _validator(headers)
        name = file_name_from(headers.get("content-disposition"))
        content_type = headers.get("content-type")
        if status == 206:
            start, total = _content_range(headers.get("content-range"))
            if start != offset:
                raise FetchError(f"{host} resumed at byte {start} instead of {offset}; starting over.",
                                 retryable=True)
            return Accepted(offset, total, fresh or validator, name, content_type, status, headers)
        if status == 416:
            _, total = _content_range(headers.get("content-range"))
            if total is not None and total == offset:
                return Accepted(offset, total, validator, name, content_type, status, headers)  # had it all
            raise FetchError(f"{host} cannot resume this download; starting over.", retryable=True)
        total = None if headers.get("content-encoding") else _int(headers.get("content-length"))
        return Accepted(0, total, fresh, name, content_type, status, headers)
    reason = f"{status} {response.reason_phrase}".strip()
    if status in _RETRY_STATUSES:
        wait = retry_after_seconds(headers.get("retry-after"))
        raise FetchError(f"{host} answered {reason}" + (f" and asked to wait {wait:.0f} s." if wait else "."),
                         retryable=True, status=status, retry_after=wait, headers=headers)
    if status in (401, 403):
        raise FetchError(f"{host} refused the download ({reason}): it needs a login or is not public.",
                         retryable=False, status=status, headers=headers)
    if status in (404, 410):
        raise FetchError(f"{host} has no such file ({reason}).", retryable=False, status=status, headers=headers)
    raise FetchError(f"{host} answered {reason}.", retryable=False, status=status, headers=headers)


def _open(opener: PartOpener, part: Path, *, append: bool, done: int) -> BinaryIO:
    try:
        return opener(part, append)
    except OSError as exc:
        raise _disk_error(exc, done, None) from exc


def _write(fh: BinaryIO, chunk: bytes, done: int, total: int | None) -> None:
    try:
        fh.write(chunk)
    except OSError as exc:
        raise _disk_error(exc, done, total) from exc


def _disk_error(exc: OSError, done: int, total: int | None) -> FetchError:
    of = f" of {size_text(total)}" if total else ""
    if is_disk_full(exc):
        return FetchError(f"The disk holding the library is full ({size_text(done)}{of} downloaded). "
                          "Free some space and choose Retry to go on from there, or Remove it.",
                          retryable=False, disk_full=True)
    return FetchError(f"The download cannot be written to the library's folder ({exc.strerror or exc}).",
                      retryable=False)


def _result(accepted: Accepted, done: int) -> FetchResult:
    return FetchResult(done, accepted.total, accepted.validator, accepted.file_name, accepted.content_type,
                       accepted.offset)


def _validator(headers: httpx.Headers) -> str | None:
    """A validator If-Range may carry: a strong ETag (a weak one is not allowed there), else the date."""
    etag = headers.get("etag")
    if etag and not etag.startswith("W/"):
        return etag
    return headers.get("last-modified") or None


def _content_range(value: str | None) -> tuple[int | None, int | None]:
    match = _CONTENT_RANGE.search(value or "")
    if match is None:
        return None, None
    start = int(match.group(1)) if match.group(1) else None
    total = int(match.group(3)) if match.group(3) != "*" else None
    return start, total


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and number >= 0 else None


def file_name_from(disposition: str | None) -> str | None:
    """The file name a Content-Disposition header gives (RFC 6266 ``filename*`` first)."""
    if not disposition:
        return None
    star = _FILENAME_STAR.search(disposition)
    if star:
        try:
            return unquote(star.group(2).strip(), encoding=star.group(1) or "utf-8", errors="strict") or None
        except (LookupError, UnicodeDecodeError):
            pass
    plain = _FILENAME.search(disposition)
    if plain:
        name = plain.group(1) if plain.group(1) is not None else plain.group(2)
        return name.replace('\\"', '"').strip() or None
    return None


def file_name_from_url(url: str) -> str | None:
    path = urlsplit(url).path
    name = unquote(path.rsplit("/", 1)[-1]) if path else ""
    return name or None


def _transport_reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "it stopped answering"
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server closed the connection"
    return str(exc) or type(exc).__name__
