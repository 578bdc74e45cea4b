"""Direct downloads: speed against curl, memory while streaming, resume, and a rate-limited host.

One server process (a plain Range-capable HTTP server using sendfile, started from this script)
serves every phase, so curl and BookDesk fetch the same bytes from the same server:

1. speed: a 300 MB file (a real EPUB container, so the magic check passes) fetched by
   ``curl -s -o FILE URL`` and by the download queue as ``bookdesk fetch --no-import`` runs it,
   taking turns to go first, three times each; the median of each and the ratio (target: at most
   1.2x curl). Both are timed from the same point, once each program has started: curl's own
   ``time_total`` (from its first step towards the request to the last byte written), BookDesk's from
   the enqueue to the completed record. Each one's fixed start is reported apart: curl's process
   from spawn to exit less its ``time_total``, BookDesk's from the child's spawn to the enqueue
   (imports, opening the library, starting the queue). BookDesk's runs happen in a child
   process that also reports its peak RSS growth while streaming (VmHWM after, reset just
   before, against VmRSS before).
2. drop: the server cuts the first answer after 100 MB; the queue resumes. Reports the Range
   the server saw next.
3. kill: ``bookdesk fetch --no-import`` in a subprocess against a server that sends the first
   answer slowly, SIGKILLed once its .part holds 50 MB, then run again. Reports the Range
   the server saw, and whether the file is hash-equal to the source.
4. rate: ten 1 MB downloads from a host that allows 2 requests a second (it answers 429 beyond
   that), with the queue's RateLimiter told so. Reports how many arrived, the time taken, the
   most requests the server saw in any one second, and how many it refused.

Usage: download.py [--size-mb N] [--runs N]
Prints {"bench":"download","size_mb":..,"curl_s":..,"bookdesk_s":..,"ratio":..,"ratio_best":..,"rss_growth_mb":..,
        "curl_start_s":..,"bookdesk_start_s":..,"drop_resume":{..},"kill_resume":{..},"rate_limited":{..}}
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _common import emit, log, median, rounded  # noqa: E402

from tests.servers.http_harness import LocalHttpServer  # noqa: E402

CURL = "/usr/bin/curl"
ALLOWED_PER_SECOND = 2


# ----- the server (a separate process) ----------------------------------------------------------


def serve(folder: Path, port_file: Path, log_file: Path) -> None:
    """Serve ``folder`` with Range support. Query flags: ``drop=N`` cuts a whole-file answer after N
    bytes; ``slowfirst=B`` sends a whole-file answer at B bytes a second; ``limited`` answers 429
    beyond ALLOWED_PER_SECOND requests in any second (over every ``limited`` request)."""
    server = LocalHttpServer(RangeAnswer(folder, log_file.open("a", buffering=1)), keep_alive=True)
    port_file.write_text(str(server.port))
    server.serve_forever()


class RangeAnswer:
    """The bench server's answer to one request, and the log of every request it saw."""

    def __init__(self, folder: Path, out: TextIO) -> None:
        self.folder = folder
        self.out = out
        self.lock = threading.Lock()
        self.limited_times: list[float] = []

    def __call__(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query)
        path = self.folder / parts.path.lstrip("/")
        now = time.time()
        header = request.headers.get("Range", "")
        start = int(header[6:].split("-")[0]) if header.startswith("bytes=") else None
        refused = "limited" in query and self._refuse(now)
        with self.lock:
            self.out.write(json.dumps({"t": now, "path": parts.path, "range": start, "refused": refused}) + "\n")
        if refused:
            _head(request, 429, 0, {"Retry-After": "1"})
            return
        if not path.is_file():
            _head(request, 404, 0)
            return
        size = path.stat().st_size
        etag = f'"{int(path.stat().st_mtime_ns)}-{size}"'
        if start is not None and request.headers.get("If-Range", etag) != etag:
            start = None
        begin = start or 0
        if begin >= size and start is not None:
            _head(request, 416, 0, {"Content-Range": f"bytes */{size}"})
            return
        extra = {"ETag": etag, "Accept-Ranges": "bytes", "Content-Type": "application/epub+zip"}
        if start:
            extra["Content-Range"] = f"bytes {begin}-{size - 1}/{size}"
        _head(request, 206 if start else 200, size - begin, extra)
        limit = int(query["drop"][0]) if "drop" in query and start is None else None
        rate = int(query["slowfirst"][0]) if "slowfirst" in query and start is None else None
        _body(request, path, begin, size - begin if limit is None else min(limit, size - begin), rate)
        if limit is not None:
            request.connection.shutdown(2)  # a dropped connection, midway through the body

    def _refuse(self, now: float) -> bool:
        """Whether a ``limited`` request at ``now`` is one too many for its second."""
        with self.lock:
            recent = [t for t in self.limited_times if t > now - 1.0]
            if len(recent) >= ALLOWED_PER_SECOND:
                return True
            self.limited_times.append(now)
            return False


def _head(request: BaseHTTPRequestHandler, status: int, length: int, extra: dict[str, str] | None = None) -> None:
    request.send_response(status)
    for name, value in (extra or {}).items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(length))
    request.send_header("Connection", "close")
    request.end_headers()
    request.wfile.flush()
    request.close_connection = True


def _body(request: BaseHTTPRequestHandler, path: Path, offset: int, count: int, rate: int | None) -> None:
    step = 1 << 20 if rate else count
    started = time.monotonic()
    sent = 0
    try:
        with path.open("rb") as fh:
            while sent < count:
                n = os.sendfile(request.connection.fileno(), fh.fileno(), offset + sent, min(step, count - sent))
                if n == 0:
                    break
                sent += n
                if rate:
                    ahead = sent / rate - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)
    except (BrokenPipeError, ConnectionResetError):
        pass


def start_server(folder: Path, work: Path) -> tuple[subprocess.Popen, str, Path]:
    port_file, log_file = work / "port", work / "requests.jsonl"
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(folder), "--port-file", str(port_file),
                                "--log-file", str(log_file)])
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit("the bench server did not start")
        time.sleep(0.05)
    return process, f"http://127.0.0.1:{port_file.read_text()}", log_file


def requests_seen(log_file: Path, path: str) -> list[dict]:
    lines = log_file.read_text().splitlines()
    return [r for r in map(json.loads, lines) if r["path"] == path]


# ----- BookDesk's side (a child process, so its memory is its own) --------------------------------


def rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def client(url: str, library: Path, rate_host: str | None, count: int, spawned: float) -> None:
    """Fetch ``url`` (``count`` times, as distinct addresses) with the queue, as ``bookdesk fetch
    --no-import`` does; print the seconds, the start (from ``spawned``, the parent's wall clock when it
    started this process, to the enqueue), the RSS growth and the states as one JSON line."""
    from bookdesk.core.acquisition.queue import DownloadQueue, QueueSettings
    from bookdesk.core.library_service import LibraryService
    from bookdesk.core.net.rate_limiter import Rate, RateLimiter

    service = LibraryService.open(library)
    limiter = RateLimiter()
    if rate_host:
        limiter.set_rate(rate_host, Rate(ALLOWED_PER_SECOND, 1.0, burst=ALLOWED_PER_SECOND))
    queue = DownloadQueue(service, settings=QueueSettings(backoff=0.5), limiter=limiter)

    async def run() -> dict:
        await queue.astart(resume=False)
        base = rss_kb("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to now
        start_s = time.time() - spawned
        started = time.perf_counter()
        urls = [url] if count == 1 else [f"{url}&n={n}" for n in range(count)]
        ids = [queue.enqueue(u, import_after=False) for u in urls]
        records = await queue.wait(ids)
        seconds = time.perf_counter() - started
        peak = rss_kb("VmHWM")
        await queue.aclose()
        return {"seconds": seconds, "start_s": start_s, "rss_base_kb": base, "rss_peak_kb": peak,
                "states": [r.state for r in records], "paths": [str(service.absolute(r.path)) if r.path else None
                                                                 for r in records],
                "errors": [r.last_error for r in records if r.last_error]}

    try:
        print(json.dumps(asyncio.run(run())), flush=True)
    finally:
        service.close()


def run_client(url: str, library: Path, *, rate_host: str | None = None, count: int = 1) -> dict:
    args = [sys.executable, __file__, "--client", url, "--library", str(library), "--count", str(count),
            "--spawned", repr(time.time())]
    if rate_host:
        args += ["--rate-host", rate_host]
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the BookDesk client failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----- the phases -----------------------------------------------------------------------------------


def make_book(path: Path, size: int) -> None:
    """A real EPUB container of ``size`` bytes or so: the mimetype member first, then stored noise."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
                         'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile '
                         'full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles>'
                         '</container>')
        info = zipfile.ZipInfo("padding.bin")
        info.compress_type = zipfile.ZIP_STORED
        with archive.open(info, "w", force_zip64=True) as member:
            for _ in range(size >> 20):
                member.write(os.urandom(1 << 20))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def run_curl(url: str, target: Path) -> tuple[float, float]:
    """curl's transfer (its own ``time_total``) and its whole process, spawn to exit, in seconds."""
    started = time.perf_counter()
    done = subprocess.run([CURL, "-s", "-o", str(target), "-w", "%{time_total}", url], check=True,
                          capture_output=True, text=True)
    whole = time.perf_counter() - started
    target.unlink()
    return float(done.stdout.strip()), whole


def phase_speed(url: str, work: Path, runs: int) -> dict:
    curl_times, curl_whole, ours, our_starts, growth = [], [], [], [], []

    def ours_once(run: int) -> None:
        library = work / f"speed-{run}"
        result = run_client(url, library)
        if result["states"] != ["completed"]:
            raise SystemExit(f"BookDesk's download did not complete: {result}")
        ours.append(result["seconds"])
        our_starts.append(result["start_s"])
        growth.append((result["rss_peak_kb"] - result["rss_base_kb"]) / 1024)
        shutil.rmtree(library)

    def curl_once(run: int) -> None:
        transfer, whole = run_curl(url, work / "curl.out")
        curl_times.append(transfer)
        curl_whole.append(whole)

    for run in range(runs):
        for side in (curl_once, ours_once) if run % 2 == 0 else (ours_once, curl_once):
            side(run)
        log(f"run {run + 1}: curl {curl_times[-1]:.2f} s (+{curl_whole[-1] - curl_times[-1]:.3f} s start), "
            f"BookDesk {ours[-1]:.2f} s (+{our_starts[-1]:.2f} s start), RSS +{growth[-1]:.1f} MB")
    # The median is the figure; the best runs say what each does undisturbed (on a busy machine the
    # Python side, needing a whole CPU, suffers more from sharing it than curl does).
    return {"curl_s": rounded(median(curl_times)), "bookdesk_s": rounded(median(ours)),
            "ratio": rounded(median(ours) / median(curl_times), 2),
            "ratio_best": rounded(min(ours) / min(curl_times), 2), "rss_growth_mb": rounded(max(growth), 1),
            "timed_from": "each program's own start: curl's time_total, BookDesk's enqueue",
            "curl_start_s": rounded(median([w - t for w, t in zip(curl_whole, curl_times, strict=True)])),
            "bookdesk_start_s": rounded(median(our_starts)),
            "curl_runs_s": [rounded(t) for t in curl_times], "bookdesk_runs_s": [rounded(t) for t in ours]}


def phase_drop(base: str, work: Path, source: Path, log_file: Path) -> dict:
    drop_at = 100 * 1024 * 1024
    result = run_client(f"{base}/book.epub?drop={drop_at}", work / "drop")
    seen = requests_seen(log_file, "/book.epub")[-2:]
    path = result["paths"][0]
    report = {"state": result["states"][0], "dropped_after": drop_at, "requests": [r["range"] for r in seen],
              "range_request": seen[-1]["range"] is not None, "resumed_from": seen[-1]["range"],
              "hash_equal": path is not None and sha256(Path(path)) == sha256(source)}
    shutil.rmtree(work / "drop")
    return report


def phase_kill(base: str, work: Path, source: Path, log_file: Path) -> dict:
    library = work / "kill"
    url = f"{base}/book.epub?slowfirst={40 * 1024 * 1024}"
    command = [sys.executable, "-m", "bookdesk", "fetch", url, "--library", str(library), "--no-import", "--json"]
    fetch = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    part = library / ".downloads" / "1.part"
    deadline = time.monotonic() + 120
    while not (part.exists() and part.stat().st_size >= 50 * 1024 * 1024):
        if time.monotonic() > deadline or fetch.poll() is not None:
            raise SystemExit("the fetch to kill never got to 50 MB")
        time.sleep(0.02)
    os.kill(fetch.pid, signal.SIGKILL)
    fetch.wait()
    kept = part.stat().st_size
    before = len(requests_seen(log_file, "/book.epub"))
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    [item] = json.loads(done.stdout)["items"]
    seen = requests_seen(log_file, "/book.epub")[before:]
    report = {"state": item["status"], "part_bytes_at_kill": kept, "requests": [r["range"] for r in seen],
              "range_request": bool(seen) and seen[0]["range"] is not None,
              "resumed_from": seen[0]["range"] if seen else None,
              "hash_equal": item["path"] is not None and sha256(Path(item["path"])) == sha256(source)}
    shutil.rmtree(library)
    return report


def phase_rate(base: str, work: Path, log_file: Path) -> dict:
    host = urlsplit(base).netloc
    result = run_client(f"{base}/small.epub?limited=1", work / "rate", rate_host=host, count=10)
    seen = [r for r in requests_seen(log_file, "/small.epub")]
    times = sorted(r["t"] for r in seen)
    most = max(sum(1 for u in times if t <= u < t + 1.0) for t in times) if times else 0
    shutil.rmtree(work / "rate")
    return {"downloads": 10, "arrived": result["states"].count("completed"), "seconds": rounded(result["seconds"], 2),
            "server_max_requests_in_1s": most, "refused_429": sum(1 for r in seen if r["refused"]),
            "allowed_per_second": ALLOWED_PER_SECOND}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--log-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--library", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rate-host", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--spawned", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port_file, args.log_file)
        return
    if args.client:
        client(args.client, args.library, args.rate_host, args.count, args.spawned or time.time())
        return

    work = Path(tempfile.mkdtemp(prefix="bookdesk-bench-download-"))
    os.environ.setdefault("BOOKDESK_CONFIG_DIR", str(work / "config"))  # no user settings, no user logs
    os.environ.setdefault("BOOKDESK_LOG_DIR", str(work / "logs"))
    served = work / "served"
    served.mkdir()
    source = served / "book.epub"
    log(f"writing a {args.size_mb} MB book")
    make_book(source, args.size_mb * 1024 * 1024)
    make_book(served / "small.epub", 1024 * 1024)
    server, base, log_file = start_server(served, work)
    try:
        figures: dict[str, object] = {"bench": "download", "size_mb": args.size_mb}
        figures.update(phase_speed(f"{base}/book.epub", work, args.runs))
        log("dropped connection")
        figures["drop_resume"] = phase_drop(base, work, source, log_file)
        log("killed fetch")
        figures["kill_resume"] = phase_kill(base, work, source, log_file)
        log("rate-limited host")
        figures["rate_limited"] = phase_rate(base, work, log_file)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    emit(figures)


if __name__ == "__main__":
    main()
