"""The world's server: its addresses, hazards and limits, the log of what it was asked, and the
routing of each request to the provider that answers it (one module per provider)."""

from __future__ import annotations

import hashlib
import math
import random
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.fakes.provider_world.audnexus import AudnexusAnswers
from tests.fakes.provider_world.books import PLACEHOLDER_GIF, Book, Catalogue
from tests.fakes.provider_world.exchange import Hazard, Record, Reply, html_reply, image_reply, json_reply
from tests.fakes.provider_world.googlebooks import GoogleBooksAnswers
from tests.fakes.provider_world.hardcover import HardcoverAnswers
from tests.fakes.provider_world.limits import CDNS, PUBLISHED_LIMITS, Limit
from tests.fakes.provider_world.openlibrary import OpenLibraryAnswers
from tests.fakes.provider_world.search import STOP_WORDS, tokens
from tests.servers.http_harness import LocalHttpServer
from tests.servers.ports import free_port


class ProviderWorld(OpenLibraryAnswers, GoogleBooksAnswers, HardcoverAnswers, AudnexusAnswers):
    """The four providers over one catalogue, on one local HTTP server."""

    def __init__(self, catalogue: Catalogue, *, limits: Mapping[str, Limit] | None = None,
                 hardcover_tokens: Iterable[str] = (), google_keys: Iterable[str] | None = None, seed: int = 7,
                 clock=time.monotonic) -> None:  # noqa: ANN001 - a clock
        self.catalogue = catalogue
        self.limits: dict[str, Limit] = dict(PUBLISHED_LIMITS if limits is None else limits)
        self.hardcover_tokens = set(hardcover_tokens)
        self.google_keys = None if google_keys is None else set(google_keys)  # None: any key (or none) is fine
        self.hazards: dict[str, Hazard] = {}
        self.records: list[Record] = []
        self._windows: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._clock = clock
        self._dead_port = free_port()
        # The API hosts share one server (each under its own path); the image hosts are other hosts
        # in real life, so they get servers (ports) of their own: a client paces them apart.
        self._servers = {name: LocalHttpServer(self._reply, keep_alive=True, name=f"provider-world-{name}")
                         for name in ("api", *CDNS)}

    # ----- lifetime and addresses ------------------------------------------------------------

    def start(self) -> ProviderWorld:
        for server in self._servers.values():
            server.start()
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()

    def __enter__(self) -> ProviderWorld:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The API server: every provider under its own path."""
        return self._address("api")

    def cdn(self, name: str) -> str:
        """An image host: "hardcover-assets", "googlebooks-content" or "audible-images"."""
        return self._address(name) + "/" + name

    def _address(self, name: str) -> str:
        return self._servers[name].url

    _PATHS = {"openlibrary": "/openlibrary", "openlibrary_covers": "/openlibrary-covers",
              "googlebooks": "/googlebooks/books/v1", "hardcover": "/hardcover/v1/graphql", "audnexus": "/audnexus"}

    def provider_urls(self) -> dict[str, str]:
        """Base URLs by BookDesk's settings names; a provider that is "refused" gets an address where
        nothing listens."""
        urls = {}
        for name, path in self._PATHS.items():
            owner = "openlibrary" if name == "openlibrary_covers" else name
            down = self.hazards.get(owner, Hazard()).down == "refused"
            urls[name] = f"http://127.0.0.1:{self._dead_port}{path}" if down else self.url + path
        return urls

    def env(self) -> dict[str, str]:
        """BOOKDESK_<NAME>_URL for every provider."""
        names = {"openlibrary": "OPENLIBRARY", "openlibrary_covers": "OPENLIBRARY_COVERS",
                 "googlebooks": "GOOGLEBOOKS", "hardcover": "HARDCOVER", "audnexus": "AUDNEXUS"}
        return {f"BOOKDESK_{names[k]}_URL": v for k, v in self.provider_urls().items()}

    def hazard(self, provider: str, **settings: object) -> Hazard:
        """Switch hazards on for ``provider`` ("openlibrary", "googlebooks", "hardcover", "audnexus",
        "images"); with no settings, switch them off."""
        with self._lock:
            self.hazards[provider] = Hazard(**settings)  # type: ignore[arg-type]
            return self.hazards[provider]

    # ----- what happened -------------------------------------------------------------------

    def requests(self, provider: str | None = None) -> list[Record]:
        with self._lock:
            return [r for r in self.records if provider is None or r.provider == provider]

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(Counter(r.provider for r in self.records))

    def max_in_window(self, provider: str, limit: Limit | None = None) -> int:
        """The most requests one client sent ``provider`` within any window of its limit."""
        limit = limit or self.limits[provider]
        most = 0
        by_client: dict[str, list[float]] = {}
        for r in self.requests(provider):
            by_client.setdefault(r.client, []).append(r.at)
        for times in by_client.values():
            times.sort()
            start = 0
            for end, t in enumerate(times):
                while times[start] <= t - limit.per_seconds:
                    start += 1
                most = max(most, end - start + 1)
        return most

    def rate_report(self) -> dict[str, dict]:
        """Per limited provider: requests, the limit, the most seen in one window, 429s given for it."""
        report = {}
        for provider, limit in self.limits.items():
            sent = self.requests(provider)
            if not sent:
                continue
            most = self.max_in_window(provider, limit)
            report[provider] = {"requests": len(sent), "limit": limit.requests, "per_seconds": limit.per_seconds,
                                "max_in_window": most, "exceeded": most > limit.requests,
                                "answered_429": sum(1 for r in sent if r.outcome == "rate_limited")}
        return report

    def rate_exceeded(self) -> dict[str, dict]:
        return {p: r for p, r in self.rate_report().items() if r["exceeded"] or r["answered_429"]}

    def book_of(self, record: Record) -> Book | None:
        """The true book a request was about: by an identifier in it, else by the title it searched
        for; None for what serves many books (Google's series names) or matches none."""
        c = self.catalogue
        text = f"{record.path}?{record.query} {record.search}"
        patterns = ((r"/audnexus/books/([0-9A-Z]{10})", lambda v: c.by_asin.get(v)),
                    (r"/hardcover-assets/books/(\d+)\.png", lambda v: c.by_hardcover.get(int(v))),
                    (r"/openlibrary-covers/b/id/(\d+)-", lambda v: c.by_cover.get(int(v))),
                    (r"/audible-images/images/I/([0-9A-Z]{10})", lambda v: c.by_asin.get(v)),
                    (r"[?&]id=([A-Z2-7]{12})", lambda v: c.by_google.get(v)),
                    (r"/works/(OL\d+W)", lambda v: c.by_work.get(v)),
                    (r"\b(97[89]\d{10})\b", lambda v: c.by_isbn.get(v)),
                    (r'"_eq": "([0-9A-Z]{10})"', lambda v: c.by_asin.get(v)))
        for pattern, find in patterns:
            match = re.search(pattern, text)
            if match and (book := find(match.group(1))) is not None:
                return _owner(book, c)
        words = set(tokens(record.search))
        if not words:
            return None
        best, best_share = None, 0.74
        for book in c.true_books():
            title = set(tokens(book.title)) - STOP_WORDS
            share = len(words & title) / len(title) if title else 0.0
            if share > best_share:
                best, best_share = book, share
        return best

    def requests_per_book(self) -> Counter:
        """How many requests were about each true book (key: the book's truth index; None: the rest)."""
        counts: Counter = Counter()
        for record in self.requests():
            book = self.book_of(record)
            counts[book.truth if book is not None else None] += 1
        return counts

    def clear(self) -> None:
        with self._lock:
            self.records.clear()
            self._windows.clear()

    # ----- answering -------------------------------------------------------------------------

    def _provider_of(self, path: str, query: dict[str, list[str]]) -> str:
        if path.startswith("/openlibrary-covers/"):
            return "images" if re.match(r"^/openlibrary-covers/[abw]/(id|olid)/", path) else "openlibrary_covers"
        for prefix, name in (("/openlibrary/", "openlibrary"), ("/googlebooks/", "googlebooks"),
                             ("/hardcover/", "hardcover"), ("/audnexus/", "audnexus")):
            if path.startswith(prefix) or path == prefix.rstrip("/"):
                return name
        if path.startswith(("/googlebooks-content/", "/hardcover-assets/", "/audible-images/")):
            return "images"
        return "unknown"

    def _client(self, provider: str, headers: dict[str, str], query: dict[str, list[str]], address: str) -> str:
        if provider == "hardcover" and headers.get("authorization", "").startswith("Bearer "):
            token = headers["authorization"][7:].strip()
            if token in self.hardcover_tokens:
                return "token:" + hashlib.sha256(token.encode()).hexdigest()[:12]
        if provider == "googlebooks" and query.get("key"):
            return "key:" + hashlib.sha256(query["key"][0].encode()).hexdigest()[:12]
        return address

    def _reply(self, request: BaseHTTPRequestHandler) -> None:
        """Answer one HTTP request of a client, as ``answer`` decides."""
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in request.headers.items()}
        reply = self.answer(request.command, request.path, headers, body, request.client_address[0])
        if reply.drop or reply.truncate:
            request.close_connection = True
        if reply.drop:
            return
        request.send_response(reply.status)
        request.send_header("Content-Type", reply.content_type)
        request.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            request.send_header(name, value)
        if reply.truncate:
            request.send_header("Connection", "close")
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(reply.body[: len(reply.body) // 2] if reply.truncate else reply.body)
        request.wfile.flush()

    def answer(self, method: str, raw_path: str, headers: dict[str, str], body: bytes, address: str) -> Reply:
        parts = urlsplit(raw_path)
        query = parse_qs(parts.query, keep_blank_values=True)
        provider = self._provider_of(parts.path, query)
        client = self._client(provider, headers, query, address)
        record = Record(self._clock(), provider, method, parts.path, parts.query, headers, body, client)
        with self._lock:
            self.records.append(record)
            reply = self._gate(record, provider, client)
        if reply is None:
            hazard = self.hazards.get("openlibrary" if provider == "openlibrary_covers" else provider, Hazard())
            try:
                reply = self._route(record, parts.path, query, headers, body)
            except Exception as exc:  # a bug in the world must show, not hang the client
                reply = json_reply({"error": f"world bug: {exc!r}"}, 500)
                record.outcome = "world_error"
            if hazard.slow:
                time.sleep(hazard.slow)
        record.status = reply.status
        if reply.status == 404 and record.outcome == "ok":
            record.outcome = "not_found"
        return reply

    def _gate(self, record: Record, provider: str, client: str) -> Reply | None:
        """Hazards and limits, under the lock. None: go on and answer."""
        hazard = self.hazards.get("openlibrary" if provider == "openlibrary_covers" else provider)
        if hazard is not None:
            if hazard.down in ("reset", "refused"):  # "refused" only reaches here when the URL was kept
                record.outcome = "hazard:reset"
                return Reply(drop=True)
            if hazard.down == "503":
                record.outcome = "hazard:503"
                return html_reply(503, "503 Service Temporarily Unavailable")
            if hazard.storm > 0:
                hazard.storm -= 1
                record.outcome = "hazard:storm"
                return self._too_many(provider, hazard.storm_retry_after, at_least=0)
        limit = self.limits.get(provider)
        if provider == "hardcover" and not client.startswith("token:"):
            record.outcome = "unauthorized"
            return json_reply({"errors": [{"message": "Could not verify JWT: JWSError JWSInvalidSignature",
                                      "extensions": {"path": "$", "code": "invalid-jwt"}}]}, 401)
        if limit is not None:
            window = self._windows.setdefault((provider, client), deque())
            while window and window[0] <= record.at - limit.per_seconds:
                window.popleft()
            if len(window) >= limit.requests:
                record.outcome = "rate_limited"
                return self._too_many(provider, window[0] + limit.per_seconds - record.at)
            window.append(record.at)
        if hazard is not None:
            roll = self._rng.random()
            if roll < hazard.error_rate:
                record.outcome = "hazard:500"
                return html_reply(500, "500 Internal Server Error") if provider == "openlibrary" else \
                    json_reply({"error": "Internal Server Error"}, 500)
            roll -= hazard.error_rate
            if roll < hazard.html_rate:
                record.outcome = "hazard:html"
                return html_reply(200, "Down for maintenance")
            roll -= hazard.html_rate
            if roll < hazard.truncate_rate:
                record.outcome = "hazard:truncate"  # answered in full, then cut off in _route
        return None

    def _too_many(self, provider: str, wait: float, at_least: int = 1) -> Reply:
        seconds = str(max(at_least, math.ceil(wait)))
        if provider == "googlebooks":
            return json_reply({"error": {"code": 429, "message": "Quota exceeded for quota metric 'Queries'.",
                                    "errors": [{"message": "Rate Limit Exceeded", "domain": "global",
                                                "reason": "rateLimitExceeded"}], "status": "RESOURCE_EXHAUSTED"}},
                         429, {"Retry-After": seconds})
        if provider == "audnexus":
            return json_reply({"statusCode": 429, "error": "Too Many Requests",
                          "message": f"Rate limit exceeded, retry in {seconds} seconds"}, 429,
                         {"Retry-After": seconds, "x-ratelimit-remaining": "0", "x-ratelimit-reset": seconds})
        if provider == "hardcover":
            return json_reply({"error": "Throttled"}, 429, {"Retry-After": seconds})
        reply = html_reply(429, "429 Too Many Requests")
        reply.headers["Retry-After"] = seconds
        return reply

    def _route(self, record: Record, path: str, query: dict[str, list[str]], headers: dict[str, str],
               body: bytes) -> Reply:
        truncate = record.outcome == "hazard:truncate"
        reply = self._dispatch(record, path, query, headers, body)
        reply.truncate = truncate
        return reply

    def _dispatch(self, record: Record, path: str, query: dict[str, list[str]], headers: dict[str, str],
                  body: bytes) -> Reply:
        def param(name: str, default: str | None = None) -> str | None:
            values = query.get(name)
            return values[0] if values else default

        if path == "/openlibrary/search.json":
            return self._ol_search(record, query, param)
        match = re.fullmatch(r"/openlibrary/works/(OL\d+W)\.json", path)
        if match:
            return self._ol_work(match.group(1))
        match = re.fullmatch(r"/openlibrary/isbn/(\d{9}[\dX]|\d{13})\.json", path)
        if match:
            return self._ol_edition(match.group(1))
        match = re.fullmatch(r"/openlibrary-covers/b/(id|isbn)/([\dX]+)-([SML])\.jpg", path)
        if match:
            return self._ol_cover(match.group(1), match.group(2), param("default"))
        if path == "/googlebooks/books/v1/volumes":
            return self._google_volumes(record, query, param)
        match = re.fullmatch(r"/googlebooks/books/v1/volumes/([\w-]+)", path)
        if match:
            book = self.catalogue.by_google.get(match.group(1))
            return json_reply(self._google_volume(book)) if book and "googlebooks" in book.known_to else json_reply(
                {"error": {"code": 404, "message": "The volume ID could not be found.", "errors": [
                    {"message": "The volume ID could not be found.", "domain": "global", "reason": "notFound"}]}}, 404)
        if path == "/googlebooks/books/v1/series/get":
            return self._google_series(query)
        if path == "/googlebooks-content/books/content":
            book = self.catalogue.by_google.get(param("id") or "")
            return image_reply(book.cover) if book and book.cover else image_reply(PLACEHOLDER_GIF)
        if path == "/hardcover/v1/graphql":
            if record.method != "POST":
                return json_reply({"errors": [{"message": "only POST is supported", "extensions": {"code": "not-supported"}}]},
                             405)
            return self._hardcover(record, body)
        match = re.fullmatch(r"/hardcover-assets/books/(\d+)\.png", path)
        if match:
            book = self.catalogue.by_hardcover.get(int(match.group(1)))
            return image_reply(book.cover) if book and book.cover else json_reply({"error": "not found"}, 404)
        match = re.fullmatch(r"/audnexus/books/([0-9A-Z]{10})(/chapters)?", path)
        if match:
            return self._audnexus(match.group(1), bool(match.group(2)))
        match = re.fullmatch(r"/audible-images/images/I/([0-9A-Z]{10})\.png", path)
        if match:
            book = self.catalogue.by_asin.get(match.group(1))
            return image_reply(book.cover) if book and book.cover else json_reply({"error": "not found"}, 404)
        return json_reply({"error": "Not Found", "path": path}, 404)



def _owner(book: Book, catalogue: Catalogue) -> Book | None:
    """A decoy's cover or record counts for the true book whose search found it."""
    if book.kind == "book":
        return book
    return next((b for b in catalogue.true_books() if tokens(b.title) and set(tokens(b.title)) <= set(
        tokens(f"{book.title} {book.subtitle or ''}"))), None)
