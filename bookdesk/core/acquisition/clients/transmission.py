"""Transmission through its JSON RPC: the session-id handshake, basic auth, add, watch, remove.

Transmission answers the first request of a session (and any after it restarts) with 409 and a
fresh ``X-Transmission-Session-Id``, which must be sent with every request after; that guards
against cross-site requests, not against BookDesk. Tracker warnings are not errors: only a
local error (status 3: disk full, files gone) fails a torrent.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from bookdesk.core.acquisition.clients.base import (
    CHECKING,
    COMPLETED,
    DOWNLOADING,
    ERROR,
    PAUSED,
    QUEUED,
    ClientAuthError,
    ClientError,
    ClientTorrent,
    Magnet,
    TorrentFile,
    TorrentSource,
    join_client_path,
)
from bookdesk.core.acquisition.clients.http_session import ClientSession
from bookdesk.core.acquisition.config import ClientConfig
from bookdesk.core.net.rate_limiter import RateLimiter

log = logging.getLogger(__name__)

SESSION_HEADER = "X-Transmission-Session-Id"
LOCAL_ERROR = 3
FIELDS = ["hashString", "name", "status", "percentDone", "totalSize", "sizeWhenDone", "haveValid", "downloadDir",
          "error", "errorString", "eta", "labels", "leftUntilDone"]
# tr_torrent_activity: stopped, check wait, check, download wait, download, seed wait, seed.
_STATES = {0: PAUSED, 1: CHECKING, 2: CHECKING, 3: QUEUED, 4: DOWNLOADING, 5: COMPLETED, 6: COMPLETED}


def rpc_url(url: str) -> str:
    """The RPC address: a bare ``http://host:9091`` means Transmission's usual ``/transmission/rpc``."""
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        return urlunsplit(parts._replace(path="/transmission/rpc"))
    return url


class TransmissionClient:
    def __init__(self, config: ClientConfig, password: str | None, *,
                 transport: httpx.AsyncBaseTransport | None = None, limiter: RateLimiter | None = None) -> None:
        self.config = config
        self.name = config.name
        auth = httpx.BasicAuth(config.username, password or "") if config.username or password else None
        self._session = ClientSession(config, transport=transport, auth=auth, limiter=limiter)
        self._url = rpc_url(config.url)
        self._session_id = ""

    async def aclose(self) -> None:
        await self._session.aclose()

    async def _rpc(self, method: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        body = {"method": method, "arguments": arguments or {}}
        label = self._session.label
        for _ in range(3):
            response = await self._session.request("POST", self._url, json=body,
                                                   headers={SESSION_HEADER: self._session_id})
            if response.status_code == 409 and response.headers.get(SESSION_HEADER):
                self._session_id = response.headers[SESSION_HEADER]
                continue
            break
        if response.status_code == 401:
            raise ClientAuthError(self.name, f"{label} refused the user name or password. Check them in "
                                             "Settings → Sources & Clients → Download clients.")
        if response.status_code == 403:
            raise ClientAuthError(self.name, f"{label} refuses requests from this computer: add its address "
                                             "to Transmission's RPC whitelist.")
        if response.status_code != 200:
            raise ClientError(self.name, f"{label} answered {method} with HTTP {response.status_code}.")
        try:
            answer = response.json()
        except ValueError:
            raise ClientError(self.name, f"{label} answered {method} with something that is not JSON: is "
                                         f"{self._url} its RPC address?") from None
        if answer.get("result") != "success":
            raise ClientError(self.name, f"{label} could not {method}: {answer.get('result')}.")
        return answer.get("arguments") or {}

    async def test_connection(self) -> str:
        session = await self._rpc("session-get", {"fields": ["version"]})
        return f"Transmission {session.get('version', '')}".strip()

    async def add(self, torrent: TorrentSource, *, category: str, save_path: str | None) -> str:
        arguments: dict[str, Any] = {"paused": False}
        if save_path:
            arguments["download-dir"] = save_path
        if category:
            arguments["labels"] = [category]  # honoured from Transmission 4; set again below for 3.x
        if isinstance(torrent, TorrentFile):
            arguments["metainfo"] = base64.b64encode(torrent.data).decode("ascii")
        elif isinstance(torrent, Magnet):
            arguments["filename"] = torrent.uri
        else:
            raise TypeError(f"cannot add {type(torrent).__name__}")
        answer = await self._rpc("torrent-add", arguments)
        added = answer.get("torrent-added") or answer.get("torrent-duplicate") or {}
        torrent_id = str(added.get("hashString") or torrent.info_hash).lower()
        if category:
            try:
                await self._rpc("torrent-set", {"ids": [torrent_id], "labels": [category]})
            except ClientError as exc:  # an old Transmission without labels still downloads
                log.info("%s: no label set on %s (%s)", self.name, torrent_id, exc.message)
        return torrent_id

    async def status(self, ids: Sequence[str] | None = None) -> list[ClientTorrent]:
        if ids is not None and not ids:
            return []
        arguments: dict[str, Any] = {"fields": FIELDS}
        if ids is not None:
            arguments["ids"] = [i.lower() for i in ids]
        rows = (await self._rpc("torrent-get", arguments)).get("torrents") or []
        if ids is None:
            rows = [r for r in rows if self.config.category in (r.get("labels") or [])]
        return [_torrent(row) for row in rows]

    async def remove(self, torrent_id: str, *, delete_files: bool) -> None:
        await self._rpc("torrent-remove", {"ids": [torrent_id.lower()], "delete-local-data": delete_files})


def _torrent(row: dict) -> ClientTorrent:
    status = int(row.get("status") or 0)
    progress = float(row.get("percentDone") or 0.0)
    state = _STATES.get(status, QUEUED)
    left = int(row.get("leftUntilDone") or 0)
    if state == PAUSED and progress >= 1.0 and left == 0:
        state = COMPLETED  # stopped after it finished (seed ratio reached, or paused by hand)
    if state == COMPLETED and (progress < 1.0 or left > 0):
        state = DOWNLOADING
    error = None
    if int(row.get("error") or 0) == LOCAL_ERROR:
        state, error = ERROR, str(row.get("errorString") or "Transmission reports a local error")
    eta = int(row.get("eta") if row.get("eta") is not None else -1)
    folder, name = str(row.get("downloadDir") or ""), str(row.get("name") or "")
    size = int(row.get("sizeWhenDone") or row.get("totalSize") or 0)
    return ClientTorrent(
        id=str(row.get("hashString") or "").lower(), name=name, state=state, progress=progress, size=size,
        downloaded=int(row.get("haveValid") or round(progress * size)), save_path=folder,
        content_path=join_client_path(folder, name), eta=eta if eta > 0 else None, error=error,
        client_state=str(status))
