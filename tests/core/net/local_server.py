"""A real HTTP server on 127.0.0.1 that answers from a script: recorded provider responses, and the
hazards real servers have (slow answers, cut-off bodies, HTML error pages, 429 with Retry-After).

Each route holds a list of replies given in turn; the last one repeats. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.servers.http_harness import LocalHttpServer

RESPONSES = Path(__file__).resolve().parents[1] / "providers" / "responses"


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict | list | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    delay: float = 0.0  # seconds before answering (a slow server)
    truncate: bool = False  # announce the whole body, send half of it, hang up

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode(), self.content_type or "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), self.content_type or "application/json"
        return self.body or b"", self.content_type or "application/json"


def recorded(name: str) -> Reply:
    """A reply with the recorded response ``responses/<name>.json``."""
    return Reply(body=(RESPONSES / f"{name}.json").read_bytes())


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self):
        return json.loads(self.body)


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._http = LocalHttpServer(self._answer, keep_alive=True)

    @property
    def url(self) -> str:
        return self._http.url

    @property
    def host(self) -> str:
        return self._http.host

    def route(self, method: str, path: str, *replies: Reply) -> None:
        with self._lock:
            self.routes[(method.upper(), path)] = list(replies) or [Reply()]

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        parts = urlsplit(handler.path)
        request = Request(handler.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                          {k.lower(): v for k, v in handler.headers.items()}, body)
        reply = self._next(request)
        if reply.delay:
            time.sleep(reply.delay)
        content, content_type = reply.encoded()
        handler.close_connection = True
        handler.send_response(reply.status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(content)))
        handler.send_header("Connection", "close")
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        if reply.status != 304 and handler.command != "HEAD":
            handler.wfile.write(content[: len(content) // 2] if reply.truncate else content)
        handler.wfile.flush()

    def _next(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            replies = self.routes.get((request.method, request.path))
            if not replies:
                return Reply(404, {"error": "Not Found"})
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def start(self) -> LocalServer:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()
