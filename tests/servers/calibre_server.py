"""A real calibre content server for the tests: a calibre library built with ``calibredb`` from
EPUBs, served by ``calibre-server`` on 127.0.0.1, with or without a user and password.

calibre lets one of its programs run per user at a time (an abstract socket named after the uid).
Each server here has a library of its own, so the server's guard is switched off with the variable
calibre provides for it, and two test workers can each run their own servers side by side.
``calibredb`` has no such switch: its runs take turns under a file lock shared by every test
process, wait for any other calibre program to finish, and the library is built once per test run
and copied by each worker.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.servers.ports import free_port
from tests.servers.processes import stop_process

CALIBRE_SERVER = shutil.which("calibre-server")
CALIBREDB = shutil.which("calibredb")
MISSING_REASON = "calibre-server and calibredb are not installed (Debian package calibre)"
USER, PASSWORD = "reader", "correct horse battery"
START_TIMEOUT = 90.0  # a limit on waiting, never a measure: a cold start on a busy machine takes a while
BUSY_TIMEOUT = 120.0  # how long calibredb waits for another calibre program to finish
_BUSY = "Another calibre program"


def calibre_installed() -> bool:
    return CALIBRE_SERVER is not None and CALIBREDB is not None


requires_calibre = pytest.mark.skipif(not calibre_installed(), reason=MISSING_REASON)


def calibre_env(home: Path) -> dict[str, str]:
    """An environment that keeps calibre's settings, caches and Qt off the real user's folders."""
    runtime = home / "runtime"
    for folder in (home, home / "config", home / "cache", home / "data", runtime):
        folder.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    return {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "data"),
            "XDG_RUNTIME_DIR": str(runtime), "CALIBRE_CONFIG_DIRECTORY": str(home / "config" / "calibre"),
            "QT_QPA_PLATFORM": "offscreen", "CALIBRE_NO_SI_DANGER_DANGER": "1"}


def build_library(library: Path, books: Sequence[Path], home: Path) -> Path:
    """A calibre library at ``library`` holding ``books`` (added in this order: ids 1, 2, ...)."""
    assert CALIBREDB is not None
    command = [CALIBREDB, "add", "--library-path", str(library), *map(str, books)]
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        with taking_turns(Path(tempfile.gettempdir()) / "bookdesk-tests-calibredb.lock"):
            done = subprocess.run(command, env=calibre_env(home), capture_output=True, text=True, timeout=300)
        if done.returncode == 0:
            return library
        if _BUSY not in done.stdout + done.stderr or time.monotonic() > deadline:
            raise RuntimeError(f"calibredb add failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        time.sleep(0.5)  # a calibre program outside these tests (the GUI, a bench) holds calibre's lock


@contextmanager
def taking_turns(lock: Path) -> Iterator[None]:
    """One holder at a time of ``lock`` among all processes (no lock where fcntl does not exist)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def add_user(userdb: Path, user: str, password: str, home: Path) -> Path:
    """A calibre user database with one user (``calibre-server --manage-users -- add``)."""
    assert CALIBRE_SERVER is not None
    subprocess.run([CALIBRE_SERVER, "--userdb", str(userdb), "--manage-users", "--", "add", user, password],
                   env=calibre_env(home), check=True, capture_output=True, timeout=120)
    return userdb




@dataclass
class CalibreServer:
    process: subprocess.Popen
    port: int
    library: Path
    log: Path
    auth_mode: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def opds_url(self) -> str:
        return f"{self.url}/opds"

    def stop(self) -> None:
        stop_process(self.process)


def start_server(library: Path, home: Path, *, auth_mode: str | None = None, userdb: Path | None = None,
                 max_opds_items: int | None = None, attempts: int = 3) -> CalibreServer:
    """``calibre-server`` for ``library`` on a free port of 127.0.0.1, answering when this returns.
    ``auth_mode`` basic or digest turns on passwords from ``userdb``."""
    assert CALIBRE_SERVER is not None
    env = calibre_env(home)
    last_log = ""
    for attempt in range(attempts):
        port = free_port()
        log = home / f"calibre-server-{port}.log"
        command = [CALIBRE_SERVER, "--port", str(port), "--listen-on", "127.0.0.1", "--disable-use-bonjour",
                   "--disable-fallback-to-detected-interface", "--ban-for", "0", "--log", str(log),
                   "--shutdown-timeout", "2"]
        if max_opds_items is not None:
            command += ["--max-opds-items", str(max_opds_items)]
        if auth_mode is not None:
            assert userdb is not None, "a server with passwords needs a user database"
            command += ["--enable-auth", "--auth-mode", auth_mode, "--userdb", str(userdb)]
        command.append(str(library))
        with open(home / f"calibre-server-{port}.out", "wb") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        server = CalibreServer(process, port, library, log, auth_mode)
        if _wait_until_answering(server):
            return server
        server.stop()
        last_log = _read(home / f"calibre-server-{port}.out") + _read(log)
        if "in use" not in last_log.lower() or attempt == attempts - 1:  # only a taken port is worth a retry
            break
    raise RuntimeError(f"calibre-server did not start:\n{last_log}")


def _wait_until_answering(server: CalibreServer) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            status = httpx.get(server.opds_url, timeout=2.0).status_code
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        return status in (200, 401)
    return False


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


# ----- fixtures ------------------------------------------------------------------------------
# Imported by the conftest or test modules that need them; each is registered under its ``name``,
# so importing it does not shadow the test arguments that use it.


@pytest.fixture(scope="session", name="calibre_library")
def calibre_library_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """A calibre library of five books with known metadata, and that truth (tests/corpus.py's manifest).
    Built once per test run, in the folder the test workers share; servers copy it."""
    if not calibre_installed():
        pytest.skip(MISSING_REASON)
    from tests.corpus import build_corpus

    def build(folder: Path) -> object:
        truth = build_corpus(folder / "books", 5)
        build_library(folder / "library", [folder / "books" / t["file"] for t in truth], folder / "home")
        return truth

    return built_once(tmp_path_factory, "calibre-library", build)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], object]) -> tuple[Path, Any]:
    """(``folder/library``, what ``build(folder)`` returned), ``build`` run once per test run in a folder
    ``name`` the test workers share, under a lock: the first worker builds, the others wait and reuse it."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / name
    ready = folder / "built.json"
    with taking_turns(shared / f"{name}.lock"):
        if not ready.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            ready.write_text(json.dumps(build(folder)), encoding="utf-8")
    return folder / "library", json.loads(ready.read_text(encoding="utf-8"))


def _served(tmp_path_factory: pytest.TempPathFactory, library: Path, name: str,
            **options: object) -> Iterator[CalibreServer]:
    base = tmp_path_factory.mktemp(name)
    copy = base / "library"
    shutil.copytree(library, copy)  # calibre may write to its library; each server has its own
    home = base / "home"
    if options.get("auth_mode"):
        options["userdb"] = add_user(base / "users.sqlite", USER, PASSWORD, home)
    server = start_server(copy, home, **options)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", name="calibre_server")
def calibre_server_fixture(tmp_path_factory: pytest.TempPathFactory, calibre_library) -> Iterator[CalibreServer]:
    """An open calibre server that puts two books in a page, so five books take three pages."""
    yield from _served(tmp_path_factory, calibre_library[0], "calibre-open", max_opds_items=2)


@pytest.fixture(scope="session", name="calibre_digest_server")
def calibre_digest_server_fixture(tmp_path_factory: pytest.TempPathFactory, calibre_library) -> Iterator[CalibreServer]:
    """A calibre server that asks for USER/PASSWORD with HTTP Digest (calibre's choice without TLS)."""
    yield from _served(tmp_path_factory, calibre_library[0], "calibre-digest", auth_mode="digest")


@pytest.fixture(scope="session", name="calibre_basic_server")
def calibre_basic_server_fixture(tmp_path_factory: pytest.TempPathFactory, calibre_library) -> Iterator[CalibreServer]:
    """A calibre server that asks for USER/PASSWORD with HTTP Basic."""
    yield from _served(tmp_path_factory, calibre_library[0], "calibre-basic", auth_mode="basic")
