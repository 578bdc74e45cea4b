"""What sending a book asks of an Audiobookshelf server (``server/controllers/MiscController.js``,
``handleUpload``): whether a folder is there already (``POST /api/filesystem/pathexists``), the upload
itself (``POST /api/upload``, multipart: library, folder, title, author, series and the files, which the
server lays in ``folder/author/series/title``), a scan of the library (the server does not scan what was
uploaded; its watcher may be off) and the newest items, where the uploaded one appears once scanned.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from bookdesk.core.audiobookshelf.client import AbsClient, AbsError, AbsUnreachable, dicts_in

MIN_RATE = 128 * 1024  # bytes a second an upload may take at the slowest before it is given up
RECENT = 50  # the newest items read while waiting for sent ones to appear


class AbsRefused(AbsError):
    """The server would not take a book: no permission, its disk full, a folder there already."""


class AbsUploadClient(AbsClient):
    async def path_exists(self, folder_path: str, directory: str) -> bool:
        """Asked before each upload; the server lets only users who may upload ask it."""
        path = "/api/filesystem/pathexists"
        answer = await self._send("POST", self.config.base + path, self._auth(), None,
                                  {"directory": directory, "folderPath": folder_path})
        if answer.status_code == 403:
            raise AbsRefused(self._may_not_upload())
        found = self._read(answer, path)
        return bool(isinstance(found, dict) and found.get("exists"))

    async def upload(self, library_id: str, folder_id: str, parts: Sequence[str], files: Sequence[Path]) -> None:
        """The files go up streamed (httpx reads each file in chunks as it sends), into
        ``folder/parts[0]/parts[1]/parts[2]``: author, series (may be ""), and title."""
        author, series, title = parts
        data = {"library": library_id, "folder": folder_id, "title": title, "author": author, "series": series}
        size = sum(path.stat().st_size for path in files)
        with contextlib.ExitStack() as stack:
            opened = [(f"{number}", (path.name, stack.enter_context(path.open("rb")), "application/octet-stream"))
                      for number, path in enumerate(files)]
            try:
                answer = await self._send("POST", self.config.base + "/api/upload", self._auth(), None, None,
                                          data=data, files=opened, deadline=60.0 + size / MIN_RATE)
            except AbsUnreachable as exc:
                raise AbsRefused(f"{exc.message} The upload did not finish: is the server's disk full?") from None
        status = answer.status_code
        if status == 403:
            raise AbsRefused(self._may_not_upload())
        if status == 413:
            raise AbsRefused(f"{self.label} refused files this large (HTTP 413); a proxy in front of it may "
                             "limit uploads.")
        if status >= 500:
            raise AbsRefused(f"{self.label} could not store the files (HTTP {status}): is its disk full, or "
                             "may it not write to the library's folder?")
        if not 200 <= status < 300:
            said = answer.content[:200].decode("utf-8", errors="replace").strip()
            raise AbsRefused(f"{self.label} refused the upload (HTTP {status}{': ' + said if said else ''}).")

    async def scan(self, library_id: str) -> bool:
        """Ask for a scan of the library (the server answers "OK", not JSON); False when the key's user
        may not (only admins may): the server's watcher, when on, finds the book then."""
        answer = await self._send("POST", f"{self.config.base}/api/libraries/{library_id}/scan", self._auth(),
                                  None, None)
        if answer.status_code == 403:
            return False
        if not 200 <= answer.status_code < 300:
            self._read(answer, f"/api/libraries/{library_id}/scan")  # says why, as every request does
        return True

    async def recent_items(self, library_id: str, sent: int) -> list[dict]:
        """The library's newest items (minified: id, relPath, folderId): enough for the ``sent`` books and
        what others may have added meanwhile."""
        answer = await self._json("GET", f"/api/libraries/{library_id}/items",
                                  params={"limit": sent + RECENT, "page": 0, "minified": 1, "sort": "addedAt",
                                          "desc": 1})
        return dicts_in(answer, "results")

    def _may_not_upload(self) -> str:
        return (f"{self.label} does not let this key's user upload (HTTP 403): give the user the Upload "
                "permission and access to the library in Audiobookshelf's Users settings.")

    def _auth(self) -> dict[str, str]:
        if not self._key:
            raise AbsError(f"{self.label} has no API key. Give it in Settings → Sources & Clients → Audiobookshelf, "
                           f"or in {self.config.variable} for one run.")
        return {"Authorization": f"Bearer {self._key}"}

