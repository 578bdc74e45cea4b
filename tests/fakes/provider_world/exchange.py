"""One request as the world saw it, the reply it gets, and the hazards that can spoil it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Hazard:
    """What can go wrong with one provider. ``down``: "refused" (nothing listens at its address),
    "reset" (the connection is closed without an answer) or "503" (a maintenance page)."""

    down: str | None = None
    error_rate: float = 0.0  # share of requests answered with a 500
    html_rate: float = 0.0  # share answered 200 with an HTML page instead of JSON
    truncate_rate: float = 0.0  # share whose body is cut off half way
    slow: float = 0.0  # seconds before every answer
    storm: int = 0  # the next `storm` requests are answered 429 with Retry-After: storm_retry_after
    storm_retry_after: float = 2.0  # seconds (0 is allowed: "again now, please")


@dataclass
class Record:
    """One request as the world saw it."""

    at: float  # time.monotonic() on arrival
    provider: str  # openlibrary, openlibrary_covers, googlebooks, hardcover, audnexus, images, unknown
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    client: str
    status: int = 0
    outcome: str = "ok"  # ok, rate_limited, unauthorized, hazard:<kind>, not_found
    search: str = ""  # the words searched for, for counting requests per book

    @property
    def url(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    truncate: bool = False
    drop: bool = False  # close the connection without answering


def json_reply(value: object, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(value, ensure_ascii=False).encode(), headers=dict(headers or {}))


def html_reply(status: int, title: str) -> Reply:
    page = (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
            "<p>We are working on it. Please try again in a few minutes.</p></body></html>")
    return Reply(status, page.encode(), "text/html; charset=utf-8")


def image_reply(data: bytes) -> Reply:
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/gif" if data.startswith(b"GIF") else "image/jpeg"
    return Reply(200, data, kind, {"Cache-Control": "public, max-age=2592000"})
