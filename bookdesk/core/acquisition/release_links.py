"""What a release's link leads to: a magnet link, a .torrent file, or the book file itself.

Prowlarr and Jackett hand out download links of their own that answer with the .torrent, or
redirect to a magnet link; BookDesk follows them itself (rather than letting the client fetch
the URL) so that it knows the torrent's info hash before the client does.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from bookdesk.core.acquisition.bencode import BencodeError
from bookdesk.core.acquisition.clients.base import Magnet, TorrentFile, magnet
from bookdesk.core.acquisition.torznab import Release
from bookdesk.core.net.capped_read import ResponseTooLarge
from bookdesk.core.net.deadline import DeadlineExceeded
from bookdesk.core.net.host_name import host_key
from bookdesk.core.net.paced import fetch_paced
from bookdesk.core.net.rate_limiter import HostBusy, RateLimiter
from bookdesk.core.net.redact import redact_url
from bookdesk.errors import BookDeskError

MAX_TORRENT_BYTES = 16 * 1024 * 1024
MAX_REDIRECTS = 5


class ReleaseLinkError(BookDeskError):
    """The release's link leads to nothing a client can download."""


@dataclass(frozen=True, slots=True)
class DirectFile:
    url: str  # the book file itself: for the HTTP download queue


Resolved = TorrentFile | Magnet | DirectFile


async def resolve_link(release: Release, http: httpx.AsyncClient, limiter: RateLimiter | None = None) -> Resolved:
    """The torrent (file or magnet) or the direct file that ``release`` stands for; the indexer is
    asked through ``limiter`` (the one its searches went through; one of its own when not given)."""
    if release.protocol == "direct":
        return DirectFile(release.link)
    if release.protocol == "usenet":
        raise ReleaseLinkError(f"{release.title!r} is a Usenet release; BookDesk drives no Usenet client yet.")
    link = release.link
    if link.startswith("magnet:"):
        return _magnet(link, release)
    limiter = limiter if limiter is not None else RateLimiter()
    for _ in range(MAX_REDIRECTS):
        try:
            response = await fetch_paced(http, limiter, "GET", link, limit=MAX_TORRENT_BYTES, follow_redirects=False,
                                         timeout=httpx.Timeout(60.0, connect=10.0))
        except HostBusy as busy:
            raise ReleaseLinkError(f"{release.indexer} could not hand over {release.title!r}: {busy.message}",
                                   retryable=True) from None
        except ResponseTooLarge:
            raise ReleaseLinkError(f"{release.indexer} ({host_key(link)}) sent more than "
                                   f"{MAX_TORRENT_BYTES // (1024 * 1024)} MB for the torrent of {release.title!r}: "
                                   "too large to be one; it was not read.") from None
        except DeadlineExceeded as late:
            raise ReleaseLinkError(f"{release.indexer} ({host_key(link)}) did not hand over the torrent of "
                                   f"{release.title!r} within {late.seconds:g} s; try again later.",
                                   retryable=True) from None
        except httpx.HTTPError as exc:
            raise ReleaseLinkError(f"{release.indexer} could not hand over {release.title!r} "
                                   f"({redact_url(link)}: {exc}).", retryable=True) from None
        if response.is_redirect:
            location = response.headers.get("location", "")
            if location.startswith("magnet:"):
                return _magnet(location, release)
            link = urljoin(link, location)
            continue
        if response.status_code != 200:
            raise ReleaseLinkError(f"{release.indexer} answered HTTP {response.status_code} for the torrent of "
                                   f"{release.title!r}.", retryable=response.status_code >= 500)
        data = response.content
        try:
            return TorrentFile.from_bytes(data)
        except BencodeError:
            if release.magnet:  # some indexers' torrent links die, but the magnet still works
                return _magnet(release.magnet, release)
            raise ReleaseLinkError(f"{release.indexer} sent something that is not a torrent for "
                                   f"{release.title!r}.") from None
    raise ReleaseLinkError(f"The link of {release.title!r} redirects too many times.")


def _magnet(uri: str, release: Release) -> Magnet:
    try:
        return magnet(uri)
    except ValueError as exc:
        raise ReleaseLinkError(f"The magnet link of {release.title!r} is unusable: {exc}.") from None
