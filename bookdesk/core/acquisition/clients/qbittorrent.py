"""qBittorrent through its Web API v2: log in for a session cookie, add, watch, remove.

qBittorrent answers a refused login with "Fails." (HTTP 200) and, after too many, bans the
address with 403; an expired session makes any call answer 403, which is met by logging in
again once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import httpx

from bookdesk.core.acquisition.clients.base import (
    CHECKING,
    COMPLETED,
    DOWNLOADING,
    ERROR,
    MISSING,
    PAUSED,
    QUEUED,
    ClientAuthError,
    ClientError,
    ClientTorrent,
    Magnet,
    TorrentFile,
    TorrentSource,
)
from bookdesk.core.acquisition.clients.http_session import ClientSession
from bookdesk.core.acquisition.config import ClientConfig
from bookdesk.core.net.capped_read import CappedResponse
from bookdesk.core.net.rate_limiter import RateLimiter

log = logging.getLogger(__name__)

NO_ETA = 8640000  # qBittorrent's "forever"
ADD_SETTLE_TRIES, ADD_SETTLE_PAUSE = 50, 0.1
_STATES = {
    "error": ERROR, "missingFiles": MISSING, "uploading": COMPLETED, "stalledUP": COMPLETED,
    "pausedUP": COMPLETED, "stoppedUP": COMPLETED, "queuedUP": COMPLETED, "forcedUP": COMPLETED,
    "checkingUP": CHECKING, "checkingDL": CHECKING, "checkingResumeData": CHECKING, "moving": CHECKING,
    "allocating": DOWNLOADING, "downloading": DOWNLOADING, "metaDL": DOWNLOADING, "forcedMetaDL": DOWNLOADING,
    "stalledDL": DOWNLOADING, "forcedDL": DOWNLOADING, "pausedDL": PAUSED, "stoppedDL": PAUSED,
    "queuedDL": QUEUED,
}


class QBittorrentClient:
    def __init__(self, config: ClientConfig, password: str | None, *,
                 transport: httpx.AsyncBaseTransport | None = None, limiter: RateLimiter | None = None) -> None:
        self.config = config
        self.name = config.name
        self._password = password or ""
        self._session = ClientSession(config, transport=transport, limiter=limiter)
        self._base = config.url.rstrip("/") + "/api/v2/"
        self._logged_in = False

    async def aclose(self) -> None:
        await self._session.aclose()

    async def _login(self) -> None:
        label = self._session.label
        response = await self._session.request("POST", self._base + "auth/login", data={
            "username": self.config.username, "password": self._password})
        if response.status_code == 403:
            raise ClientAuthError(self.name, f"{label} refuses to let BookDesk log in: after too many wrong "
                                             "passwords it bans the address for a while. Check the user name "
                                             "and password in Settings → Sources & Clients → Download clients.")
        if response.status_code != 200 or response.text.strip() != "Ok.":
            raise ClientAuthError(self.name, f"{label} refused the user name or password. Check them in "
                                             "Settings → Sources & Clients → Download clients.")
        self._logged_in = True

    async def _call(self, method: str, path: str, **kwargs) -> CappedResponse:
        if not self._logged_in:
            await self._login()
        response = await self._session.request(method, self._base + path, **kwargs)
        if response.status_code == 403:  # the session expired (or qBittorrent restarted): once more
            await self._login()
            response = await self._session.request(method, self._base + path, **kwargs)
        if response.status_code >= 400:
            raise ClientError(self.name, f"{self._session.label} answered {path} with HTTP "
                                         f"{response.status_code}: {response.text.strip()[:200]}")
        return response

    async def test_connection(self) -> str:
        version = (await self._call("GET", "app/version")).text.strip()
        return f"qBittorrent {version}"

    async def _ensure_category(self, category: str, save_path: str | None) -> None:
        if not category:
            return
        if not self._logged_in:
            await self._login()
        response = await self._session.request("POST", self._base + "torrents/createCategory",
                                               data={"category": category, "savePath": save_path or ""})
        if response.status_code not in (200, 409):  # 409: it exists already
            log.warning("%s: could not create category %r (HTTP %s)", self.name, category, response.status_code)

    async def add(self, torrent: TorrentSource, *, category: str, save_path: str | None) -> str:
        await self._ensure_category(category, None)
        form = {"category": category, "paused": "false", "stopped": "false"}
        if save_path:
            form.update({"savepath": save_path, "autoTMM": "false"})
        if isinstance(torrent, TorrentFile):
            files = {"torrents": (f"{torrent.info_hash}.torrent", torrent.data, "application/x-bittorrent")}
            response = await self._call("POST", "torrents/add", data=form, files=files)
        elif isinstance(torrent, Magnet):
            response = await self._call("POST", "torrents/add", data={**form, "urls": torrent.uri})
        else:
            raise TypeError(f"cannot add {type(torrent).__name__}")
        # "Fails." also means "I have it already": that is no error.
        if response.text.strip() != "Ok." and not await self.status([torrent.info_hash]):
            raise ClientError(self.name, f"{self._session.label} would not add the torrent "
                                         f"{getattr(torrent, 'name', '') or torrent.info_hash}.")
        # qBittorrent adds in the background: wait (briefly) until it lists the torrent, so whoever asks
        # next finds it.
        for _ in range(ADD_SETTLE_TRIES):
            if await self.status([torrent.info_hash]):
                break
            await asyncio.sleep(ADD_SETTLE_PAUSE)
        return torrent.info_hash

    async def status(self, ids: Sequence[str] | None = None) -> list[ClientTorrent]:
        if ids is not None and not ids:
            return []
        params = {"hashes": "|".join(i.lower() for i in ids)} if ids is not None else {
            "category": self.config.category}
        rows = (await self._call("GET", "torrents/info", params=params)).json()
        return [_torrent(row) for row in rows]

    async def remove(self, torrent_id: str, *, delete_files: bool) -> None:
        await self._call("POST", "torrents/delete", data={
            "hashes": torrent_id.lower(), "deleteFiles": "true" if delete_files else "false"})


def _torrent(row: dict) -> ClientTorrent:
    client_state = str(row.get("state") or "")
    progress = float(row.get("progress") or 0.0)
    state = _STATES.get(client_state, QUEUED)
    if state == DOWNLOADING and progress >= 1.0:
        state = COMPLETED
    eta = int(row.get("eta") or 0)
    size = int(row.get("size") or row.get("total_size") or 0)
    return ClientTorrent(
        id=str(row.get("hash") or "").lower(), name=str(row.get("name") or ""), state=state, progress=progress,
        size=size, downloaded=int(row.get("completed") or round(progress * size)),
        save_path=str(row.get("save_path") or ""), content_path=str(row.get("content_path") or ""),
        eta=None if eta <= 0 or eta >= NO_ETA else eta,
        error="qBittorrent reports an error for this torrent" if state == ERROR else (
            "the torrent's files are missing" if state == MISSING else None),
        client_state=client_state)
