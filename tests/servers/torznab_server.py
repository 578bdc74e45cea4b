"""A Torznab indexer on 127.0.0.1, shaped like Prowlarr's and Jackett's answers, for the tests.

``/api?t=caps`` lists the search modes and book categories; ``/api?t=book|search`` answers with
the releases the test gave it, as an RSS feed with ``torznab:attr`` elements; ``/files/<name>``
hands out .torrent files (or anything else) the test put there. ``mode`` makes every API answer
something hostile instead: an ``<error>`` document, an HTML page, or a document with entities.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pytest

from tests.servers.http_harness import LocalHttpServer

API_KEY = "0123456789abcdef0123456789abcdef"

CAPS = """<?xml version="1.0" encoding="UTF-8"?>
<caps>
  <server version="1.0" title="Test Prowlarr" />
  <limits default="100" max="100" />
  <searching>
    <search available="yes" supportedParams="q" />
    <tv-search available="no" supportedParams="q" />
    <movie-search available="no" supportedParams="q" />
    <music-search available="no" supportedParams="q" />
    <audio-search available="no" supportedParams="q" />
    <book-search available="{book}" supportedParams="q,title,author" />
  </searching>
  <categories>
    <category id="3000" name="Audio"><subcat id="3030" name="Audio/Audiobook" /></category>
    <category id="7000" name="Books">
      <subcat id="7010" name="Books/Mags" /><subcat id="7020" name="Books/EBook" />
      <subcat id="7030" name="Books/Comics" />
    </category>
    <category id="8000" name="Other"><subcat id="8010" name="Other/Misc" /></category>
  </categories>
</caps>"""

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY file SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&b;&file;</title></item></channel></rss>"""

HTML = "<!DOCTYPE html><html><head><title>Login</title></head><body>Please log in</body></html>"


@dataclass
class FakeRelease:
    title: str
    file: str = ""  # a name under /files/ on this server; or
    link: str = ""  # any link (a magnet, a direct file URL)
    size: int = 2_000_000
    seeders: int = 25
    peers: int = 30
    category: int = 7020
    age_days: int = 30
    info_hash: str = ""
    guid: str = ""


@dataclass
class Request:
    path: str
    params: dict[str, str]


class TorznabServer:
    def __init__(self, *, api_key: str = API_KEY, book_search: bool = True) -> None:
        self.api_key = api_key
        self.book_search = book_search
        self.releases: list[FakeRelease] = []
        self.files: dict[str, tuple[bytes, str]] = {}
        self.mode = "ok"  # ok | error | html | entities | forbidden
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._http = LocalHttpServer(self._reply)

    @property
    def url(self) -> str:
        return self._http.url

    @property
    def api(self) -> str:
        return self.url + "/api"

    def start(self) -> TorznabServer:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def _reply(self, request: BaseHTTPRequestHandler) -> None:
        status, body, content_type = self._answer(request.path)
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def serve_file(self, name: str, data: bytes, content_type: str = "application/x-bittorrent") -> str:
        self.files[name] = (data, content_type)
        return f"{self.url}/files/{name}"

    # ----- answers ---------------------------------------------------------------------------------

    def _answer(self, raw_path: str) -> tuple[int, bytes, str]:
        parts = urlsplit(raw_path)
        params = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with self._lock:
            self.requests.append(Request(parts.path, params))
        if parts.path.startswith("/files/"):
            found = self.files.get(parts.path[len("/files/"):])
            return (200, *found) if found else (404, b"not found", "text/plain")
        if parts.path != "/api":
            return 404, b"not found", "text/plain"
        xml = "application/rss+xml; charset=utf-8"
        if self.mode == "html":
            return 200, HTML.encode(), "text/html; charset=utf-8"
        if self.mode == "entities":
            return 200, ENTITY_BOMB.encode(), xml
        if self.mode == "forbidden":
            return 401, b"", "text/plain"
        if self.mode == "error" or params.get("apikey") != self.api_key:
            return 200, b'<?xml version="1.0" encoding="UTF-8"?>\n<error code="100" ' \
                        b'description="Invalid API Key" />', xml
        if params.get("t") == "caps":
            return 200, CAPS.format(book="yes" if self.book_search else "no").encode(), xml
        if params.get("t") in ("search", "book"):
            return 200, self._feed(params).encode(), xml
        return 200, b'<error code="202" description="No such function" />', xml

    def _feed(self, params: dict[str, str]) -> str:
        categories = {int(c) for c in params.get("cat", "").split(",") if c.isdigit()}
        words = " ".join(params.get(k, "") for k in ("q", "title")).lower().split()
        items = []
        now = datetime.now(UTC)
        for number, release in enumerate(self.releases):
            in_category = not categories or release.category in categories or release.category // 1000 * 1000 in categories
            if not in_category or not all(w in release.title.lower() for w in words):
                continue
            link = release.link or f"{self.url}/files/{release.file}"
            guid = release.guid or f"{self.url}/details/{number}"
            published = format_datetime(now - timedelta(days=release.age_days))
            attrs = [("category", str(release.category)), ("seeders", str(release.seeders)),
                     ("peers", str(release.peers)), ("downloadvolumefactor", "1"), ("uploadvolumefactor", "1")]
            if release.info_hash:
                attrs.append(("infohash", release.info_hash))
            items.append(
                f"<item><title>{escape(release.title)}</title><guid>{escape(guid)}</guid>"
                f"<jackettindexer id=\"test\">Test Tracker</jackettindexer>"
                f"<comments>{escape(guid)}</comments><pubDate>{published}</pubDate><size>{release.size}</size>"
                f"<link>{escape(link)}</link><category>{release.category}</category>"
                f"<enclosure url={quoteattr(link)} length=\"{release.size}\" type=\"application/x-bittorrent\" />"
                + "".join(f"<torznab:attr name=\"{n}\" value={quoteattr(v)} />" for n, v in attrs)
                + "</item>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:torznab="http://torznab.com/schemas/2015/feed">'
                f'<channel><title>Test Prowlarr</title>{"".join(items)}</channel></rss>')



@pytest.fixture(name="torznab")
def torznab_fixture():  # noqa: ANN201
    """A Torznab indexer on 127.0.0.1 for one test."""
    server = TorznabServer().start()
    yield server
    server.stop()
