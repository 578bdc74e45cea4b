"""What BookDesk asks of a download client, whichever one it is, and the errors a person can act on.

A torrent is named everywhere by its v1 info hash (lower-case hex): BookDesk knows it before
adding (from the .torrent's bytes or the magnet link), so a Download row can find its torrent
again after a restart without trusting the client's own ids.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from bookdesk.core.acquisition.bencode import info_hash, torrent_name
from bookdesk.errors import BookDeskError

# States every client's own words are mapped to.
QUEUED, CHECKING, DOWNLOADING, COMPLETED, PAUSED, ERROR, MISSING = (
    "queued", "checking", "downloading", "completed", "paused", "error", "missing")


class ClientError(BookDeskError):
    """A download client could not do what was asked; the message names the client."""

    def __init__(self, client: str, message: str, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.client = client


class ClientOfflineError(ClientError):
    """The client is not running, or not at that address."""

    retryable = True


class ClientAuthError(ClientError):
    """The client refused the user name or password."""


@dataclass(frozen=True, slots=True)
class TorrentFile:
    data: bytes
    info_hash: str
    name: str

    @classmethod
    def from_bytes(cls, data: bytes) -> TorrentFile:
        return cls(data, info_hash(data), torrent_name(data))


@dataclass(frozen=True, slots=True)
class Magnet:
    uri: str
    info_hash: str


TorrentSource = TorrentFile | Magnet

_HEX = re.compile(r"^[0-9a-fA-F]{40}$")
_BASE32 = re.compile(r"^[A-Za-z2-7]{32}$")


def magnet_info_hash(uri: str) -> str:
    """The info hash of a magnet link, as 40 lower-case hex digits (base-32 hashes converted)."""
    parts = urlsplit(uri)
    if parts.scheme != "magnet":
        raise ValueError("not a magnet link")
    for value in parse_qs(parts.query).get("xt", []):
        if value.lower().startswith("urn:btih:"):
            digest = value[len("urn:btih:"):]
            if _HEX.match(digest):
                return digest.lower()
            if _BASE32.match(digest):
                try:
                    return base64.b32decode(digest.upper()).hex()
                except binascii.Error:
                    break
    raise ValueError("the magnet link names no BitTorrent info hash")


def magnet(uri: str) -> Magnet:
    return Magnet(uri, magnet_info_hash(uri))


@dataclass(frozen=True, slots=True)
class ClientTorrent:
    """A torrent as the client reports it. Paths are the client's, not necessarily this machine's."""

    id: str  # the info hash
    name: str
    state: str  # one of the states above
    progress: float  # 0..1
    size: int
    downloaded: int
    save_path: str
    content_path: str  # the file, or the folder, the torrent holds
    eta: int | None = None  # seconds; None: unknown or done
    error: str | None = None
    client_state: str = ""  # the client's own word, for the log

    @property
    def complete(self) -> bool:
        return self.state == COMPLETED


class DownloadClient(Protocol):
    name: str

    async def add(self, torrent: TorrentSource, *, category: str, save_path: str | None) -> str:
        """Start a torrent; returns its id (the info hash). Adding one the client has already is no error."""

    async def status(self, ids: Sequence[str] | None = None) -> list[ClientTorrent]:
        """The torrents with these ids (missing ones left out), or every torrent in BookDesk's category."""

    async def remove(self, torrent_id: str, *, delete_files: bool) -> None:
        """Stop and forget a torrent, with its data when ``delete_files``; an unknown id is no error."""

    async def test_connection(self) -> str:
        """Log in and ask the version; returns it ("qBittorrent v4.5.2"); raises ClientError."""

    async def aclose(self) -> None: ...


def join_client_path(folder: str, name: str) -> str:
    """``name`` inside ``folder`` with the separator the client's machine uses."""
    if not folder:
        return name
    sep = "\\" if "\\" in folder and "/" not in folder else "/"
    return folder.rstrip("/\\") + sep + name
