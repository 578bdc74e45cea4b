"""A real Audiobookshelf server for the tests: ``../shared/tools/abs_server.sh`` starts Audiobookshelf
(2.36.0, from ``../shared/vendor/audiobookshelf``) on 127.0.0.1 with a config folder of its own; this
initialises its root user, makes an API key, and lays libraries of small tagged M4B and MP3 files that
ffmpeg makes, scanned before a test reads them.

One server per test session (``abs_server``): a test makes a library of its own (``AbsServer.library``)
and points BookDesk at that library only, so that tests sharing the server never see each other's books.
Where node or ffmpeg is missing the tests skip, except on CI (``$CI``), where they fail: CI installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.servers.calibre_server import taking_turns
from tests.servers.ports import free_port

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO.parent / "shared" / "tools" / "abs_server.sh"  # CI has shared/ beside its clone too
ROOT_USER, ROOT_PASSWORD = "root", "correct horse battery staple"
WAIT = 120.0  # a limit on waiting for a scan, never a measure: a loaded machine scans slowly


def missing() -> str | None:
    """Why no server can be started here, or None."""
    if not SCRIPT.exists():
        return f"{SCRIPT} is not there (shared/ beside the repository)"
    for tool in ("node", "npm", "ffmpeg", "ffprobe", "curl"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: nodejs npm build-essential ffmpeg curl)"
    return None


@dataclass(frozen=True)
class Book:
    """One audiobook laid in a library: ``folder`` is its path under the library's folder (ABS reads
    ``Author/Series/Vol N - Title`` from it); tags go into the audio file."""

    folder: str
    title: str
    author: str
    narrator: str = ""
    fmt: str = "m4b"  # m4b or mp3
    asin: str = ""
    isbn: str = ""
    year: str = ""
    genre: str = ""


@dataclass
class AbsServer:
    url: str
    folder: Path
    api_key: str
    user_id: str
    libraries: dict[str, str] = field(default_factory=dict)  # name -> id

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def call(self, method: str, path: str, **options) -> httpx.Response:  # noqa: ANN003
        answer = httpx.request(method, self.url + path, headers=self.headers(), timeout=60.0, **options)
        answer.raise_for_status()
        return answer

    def library(self, books: Sequence[Book], *, folder: Path | None = None, holds: int | None = None,
                wait: float = WAIT) -> tuple[str, str, Path]:
        """A new library holding ``books``, scanned: (its name, its id, its folder). With ``folder``, the
        library is that folder as it is, holding ``holds`` items once scanned (books are laid there too)."""
        name = f"lib-{uuid.uuid4().hex[:8]}"
        folder = folder or self.folder / "libraries" / name
        folder.mkdir(parents=True, exist_ok=True)
        for book in books:
            lay(folder, book)
        made = self.call("POST", "/api/libraries", json={"name": name, "folders": [{"fullPath": str(folder)}],
                                                         "mediaType": "book",
                                                         "settings": {"disableWatcher": True}}).json()
        self.libraries[name] = made["id"]
        self.scan(made["id"], len(books) if holds is None else holds, wait)
        return name, made["id"], folder

    def scan(self, library_id: str, expected: int, wait: float = WAIT) -> list[dict]:
        """Scan the library and wait until it holds ``expected`` items (a scan answers before it ends)."""
        self.call("POST", f"/api/libraries/{library_id}/scan")
        deadline = time.monotonic() + wait
        while True:
            items = self.call("GET", f"/api/libraries/{library_id}/items", params={"limit": 0}).json()["results"]
            present = [item for item in items if not item.get("isMissing")]
            if len(present) == expected:
                return present
            if time.monotonic() > deadline:
                raise TimeoutError(f"library {library_id} holds {len(present)} items, not {expected}")
            time.sleep(0.2)

    def items(self, library_id: str) -> list[dict]:
        return self.call("GET", f"/api/libraries/{library_id}/items", params={"limit": 0}).json()["results"]

    def finish(self, item_id: str) -> None:
        """Mark ``item_id`` finished for the key's user, as a listener who heard it to the end."""
        self.call("PATCH", f"/api/me/progress/{item_id}", json={"isFinished": True})

    def delete_item(self, item_id: str) -> None:
        self.call("DELETE", f"/api/items/{item_id}", params={"hard": 1})


def lay(library: Path, book: Book) -> Path:
    """``book``'s audio file under ``library``: two seconds of a tone, tagged."""
    folder = library / book.folder
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{book.title or 'untitled'}.{book.fmt}"
    tags = {"title": book.title, "artist": book.author, "album_artist": book.author, "album": book.title,
            "composer": book.narrator, "date": book.year, "genre": book.genre, "asin": book.asin,
            "isbn": book.isbn}
    command = ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=2"]
    command += ["-c:a", "aac", "-b:a", "32k", "-f", "mp4", "-movflags", "use_metadata_tags"] \
        if book.fmt == "m4b" else ["-c:a", "libmp3lame", "-b:a", "32k", "-id3v2_version", "3"]
    for key, value in tags.items():
        if value:
            command += ["-metadata", f"{key}={value}"]
    subprocess.run([*command, str(target)], check=True, capture_output=True, timeout=120)
    return target


def start(folder: Path) -> AbsServer:
    """A fresh server whose files live in ``folder``, initialised, with an API key for its root user."""
    cache = Path(os.environ.get("BOOKDESK_ABS_CACHE", Path.home() / ".cache/bookdesk-tests/audiobookshelf-2.36.0"))
    # The first install compiles for minutes; two test workers must not both lay it into the same folder.
    with taking_turns(Path(tempfile.gettempdir()) / "bookdesk-tests-abs-install.lock"):
        if not (cache / ".installed").exists():
            subprocess.run(["bash", str(SCRIPT), "install"], check=True, timeout=900)
    started = subprocess.run(["bash", str(SCRIPT), "start", str(folder / "server"), str(free_port())],
                             check=True, capture_output=True, text=True, timeout=120)
    url = started.stdout.strip().splitlines()[-1]
    httpx.post(f"{url}/init", json={"newRoot": {"username": ROOT_USER, "password": ROOT_PASSWORD}},
               timeout=60.0).raise_for_status()
    login = httpx.post(f"{url}/login", json={"username": ROOT_USER, "password": ROOT_PASSWORD}, timeout=60.0)
    login.raise_for_status()
    user = login.json()["user"]
    made = httpx.post(f"{url}/api/api-keys", headers={"Authorization": f"Bearer {user['accessToken']}"},
                      json={"name": "bookdesk-tests", "userId": user["id"], "isActive": True}, timeout=60.0)
    made.raise_for_status()
    return AbsServer(url, folder, made.json()["apiKey"]["apiKey"], user["id"])


def stop(folder: Path) -> None:
    subprocess.run(["bash", str(SCRIPT), "stop", str(folder / "server")], check=False, timeout=60)


@pytest.fixture(scope="session")
def abs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AbsServer]:
    why = missing()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI installs what Audiobookshelf needs, yet {why}")
        pytest.skip(f"no Audiobookshelf server here: {why}")
    folder = tmp_path_factory.mktemp("audiobookshelf")
    try:
        server = start(folder)
    except (subprocess.CalledProcessError, httpx.HTTPError) as exc:
        log = folder / "server" / "abs.log"
        stop(folder)
        raise RuntimeError(f"Audiobookshelf did not start: {exc}\n{log.read_text()[-2000:] if log.exists() else ''}"
                           ) from exc
    try:
        yield server
    finally:
        stop(folder)
