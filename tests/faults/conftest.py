"""What the fault tests share: a real ``bookdesk`` process that can be killed at a named point, a
small disk that fills, local HTTP servers that are slow or hostile, and a sweep for secrets in
every file a run wrote.

These tests drive BookDesk as it runs for a person (a separate process, a real file system, real
sockets on 127.0.0.1) because the faults they guard against (a kill, a full disk, a server that
never finishes) are exactly what an in-process test smooths over.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from bookdesk.fault_points import ENV as KILL_ENV
from tests.conftest import cannot_make_fault
from tests.servers.http_harness import Answer, LocalHttpServer, start_server

REPO = Path(__file__).resolve().parents[2]
KILLED = -9  # what subprocess reports for a process ended by SIGKILL


@pytest.fixture
def bookdesk_process() -> Callable[..., subprocess.CompletedProcess]:
    """``run(*args, cwd=None, kill_at=None, env=None, timeout=120)``: the ``bookdesk`` command in a
    fresh process. With ``kill_at`` it kills itself with SIGKILL on reaching that named point
    (``bookdesk.fault_points.reach``); its return code is then ``KILLED``."""
    def run(*args: object, cwd: Path | None = None, kill_at: str | None = None,
            env: dict[str, str] | None = None, timeout: float = 120,
            input: str | None = None) -> subprocess.CompletedProcess:
        environment = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(REPO), **(env or {})}
        environment.pop(KILL_ENV, None)
        if kill_at:
            environment[KILL_ENV] = kill_at
        return subprocess.run([sys.executable, "-m", "bookdesk", *map(str, args)], capture_output=True, text=True,
                              cwd=cwd or REPO, timeout=timeout, env=environment, input=input)

    return run


# ----- a disk that fills -----------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """``make(size_kb, at=None)``: a fresh tmpfs of that size, mounted for this test (on the folder
    ``at`` when given, made if missing: one folder of a library on its own full disk). Skips, saying
    why, where the machine does not let a test mount one (not root, or a container without the
    capability)."""
    mounted: list[Path] = []

    def make(size_kb: int, at: Path | None = None) -> Path:
        if shutil.which("mount") is None or os.geteuid() != 0:
            cannot_make_fault("a full disk needs a small tmpfs, and only root may mount one here")
        point = at or tmp_path / f"disk-{len(mounted)}"
        point.mkdir(parents=True, exist_ok=at is not None)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            cannot_make_fault(f"this machine does not allow mounting a tmpfs: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield make
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the file system under ``folder`` until fewer than ``leave`` bytes remain free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize - leave
    block = b"\0" * 65536
    with open(folder / f"filler-{uuid.uuid4().hex}", "wb") as fh:
        try:
            while free > 0:
                fh.write(block[: min(len(block), free)])
                free -= len(block)
            fh.flush()
        except OSError:
            pass  # full already: that is the point


# ----- servers that misbehave --------------------------------------------------------------------

Handler = Answer


@pytest.fixture
def http_server() -> Iterator[Callable[[Handler], str]]:
    """``serve(handler) -> base URL``: a threaded HTTP server on 127.0.0.1 answering every GET and
    POST with ``handler(request)``. Stopped (and its slow answers cut off) at the end of the test."""
    servers: list[LocalHttpServer] = []

    def serve(handler: Handler) -> str:
        servers.append(start_server(handler))
        return servers[-1].url

    yield serve
    for server in servers:
        server.stop()


def whole_body(data: bytes, content_type: str = "application/epub+zip") -> Handler:
    """A server that behaves: ``data`` at once, with its length (a book to download)."""
    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)
    return answer


def slow_body(byte_every: float = 2.0, total: int = 10_000, content_type: str = "application/json") -> Handler:
    """A server that announces a body and then sends it one byte every ``byte_every`` seconds: each
    read is quick enough for a per-read timeout, the whole never arrives in a useful time."""
    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(total))
        request.end_headers()
        for _ in range(total):
            request.wfile.write(b" ")
            request.wfile.flush()
            time.sleep(byte_every)
    return answer


def huge_body(size: int, content_type: str = "application/xml", announce: bool = False) -> Handler:
    """A body of ``size`` bytes, by default without a Content-Length (chunked by closing)."""
    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        if announce:
            request.send_header("Content-Length", str(size))
        request.send_header("Connection", "close")
        request.end_headers()
        block = b"<a>" + b"x" * 65533
        sent = 0
        while sent < size:
            request.wfile.write(block)
            sent += len(block)
    return answer


def gzip_bomb(expanded: int, content_type: str = "application/xml", layers: int = 1) -> Handler:
    """A small gzip body that expands to ``expanded`` bytes, sent with ``Content-Encoding: gzip``
    (``gzip, gzip`` for two layers: a few KB that expand to a one-layer bomb)."""
    body = _bomb(expanded)
    for _ in range(layers - 1):
        body = gzip.compress(body, compresslevel=9)

    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Encoding", ", ".join(["gzip"] * layers))
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
    return answer


_BOMBS: dict[int, bytes] = {}


def _bomb(expanded: int) -> bytes:
    if expanded not in _BOMBS:
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(expanded // len(block)):
                fh.write(block)
        out = buffer.getvalue()
        _BOMBS[expanded] = out
    return _BOMBS[expanded]


# ----- secrets ---------------------------------------------------------------------------------


def sweep_for_secrets(folders: Iterable[Path], secrets: Iterable[str]) -> list[str]:
    """Every file under ``folders`` (logs, catalog and its WAL, settings, cache, problem reports)
    that holds one of ``secrets`` in its raw bytes, as UTF-8 or UTF-16 or URL-quoted: ``"path: secret"``."""
    from urllib.parse import quote

    hits: list[str] = []
    needles = []
    for secret in secrets:
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            needles.append((secret, form.encode()))
            needles.append((secret, form.encode("utf-16-le")))
    for folder in folders:
        if not Path(folder).exists():
            continue
        for path in sorted(Path(folder).rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            data = path.read_bytes()
            for secret, needle in needles:
                if needle in data:
                    hits.append(f"{path}: {secret}")
                    break
    return hits
