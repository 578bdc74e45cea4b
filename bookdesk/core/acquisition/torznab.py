"""Torznab and Newznab indexers (Prowlarr, Jackett, an NZB indexer): what they can search, and releases.

Both speak the same API: ``?t=caps`` lists the search modes and categories an indexer has,
``?t=book&title=&author=`` and ``?t=search&q=`` answer with an RSS feed whose items carry
``torznab:attr`` or ``newznab:attr`` elements (seeders, info hash, magnet link, ...), and an
``<error code=".." description=".."/>`` document says what went wrong. Answers are parsed with
entity expansion, DTDs and network access off; a web page or an error becomes a clear error
naming the indexer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx
from lxml import etree

from bookdesk.core import hardened_xml
from bookdesk.core.acquisition.config import IndexerConfig
from bookdesk.core.acquisition.release_names import AUDIOBOOK, EBOOK
from bookdesk.core.net.capped_read import ResponseTooLarge
from bookdesk.core.net.deadline import DeadlineExceeded
from bookdesk.core.net.errors import NetworkError
from bookdesk.core.net.host_name import host_key
from bookdesk.core.net.paced import SERVICE_RATE, fetch_paced, rate_key
from bookdesk.core.net.rate_limiter import HostBusy, RateLimiter
from bookdesk.core.net.redact import redact_url

log = logging.getLogger(__name__)

TORZNAB_NS = "http://torznab.com/schemas/2015/feed"
NEWZNAB_NS = "http://www.newznab.com/DTD/2010/feeds/attributes/"
MAX_ANSWER_BYTES = 8 * 1024 * 1024  # a page of a hundred results is well under a megabyte
TIMEOUT = httpx.Timeout(30.0, connect=10.0)  # indexers ask trackers in turn: slow, but not forever

# The categories a media kind is searched in, most specific first (Newznab's standard numbering).
KIND_CATEGORIES: dict[str, tuple[int, ...]] = {EBOOK: (7020, 7000), AUDIOBOOK: (3030,)}

# The Newznab error codes a person can do something about.
_ERROR_HINTS = {
    100: "refused the API key", 101: "says the account is suspended", 102: "says the account may not do this",
    200: "missed a parameter", 201: "did not accept a parameter", 202: "does not know this function",
    203: "does not offer this function", 500: "says the request limit is reached",
    501: "says the download limit is reached", 910: "has its API switched off",
}


class IndexerError(NetworkError):
    """An indexer could not be asked, or its answer could not be used. The message names the indexer."""

    def __init__(self, indexer: str, message: str, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.indexer = indexer


@dataclass(frozen=True, slots=True)
class SearchMode:
    available: bool
    params: tuple[str, ...] = ()

    def supports(self, *names: str) -> bool:
        return self.available and all(n in self.params for n in names)


@dataclass(frozen=True, slots=True)
class Capabilities:
    search: SearchMode = SearchMode(True, ("q",))
    book_search: SearchMode = SearchMode(False)
    categories: dict[int, str] = field(default_factory=dict)  # id -> name, subcategories included
    limit_max: int | None = None

    def categories_for(self, media_kind: str | None) -> tuple[int, ...]:
        """The categories to search for ``media_kind`` (None: both) that this indexer has; every one of
        them when it lists none (some indexers leave the list out and still honour the numbers)."""
        kinds = (media_kind,) if media_kind else (EBOOK, AUDIOBOOK)
        wanted = [c for kind in kinds for c in KIND_CATEGORIES[kind]]
        if not self.categories:
            return tuple(wanted)
        known = [c for c in wanted if c in self.categories]
        # 7000 holds 7020: asking for both is asking for 7000; keep the parent only when the child is missing.
        if 7020 in known and 7000 in known:
            known.remove(7000)
        return tuple(known)


@dataclass(frozen=True, slots=True)
class Release:
    """One search result at one indexer."""

    indexer: str
    title: str
    guid: str
    link: str  # the .torrent, the .nzb or the file itself; or a magnet link
    size: int | None = None
    published: datetime | None = None  # UTC, naive
    categories: tuple[int, ...] = ()
    seeders: int | None = None  # None: not a torrent, or the indexer does not say
    peers: int | None = None
    info_hash: str | None = None  # lower-case hex
    magnet: str | None = None
    protocol: str = "torrent"  # torrent | usenet | direct
    details_url: str | None = None
    download_factor: float | None = None  # 0 = freeleech
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.indexer, self.guid)


# ----- parsing -------------------------------------------------------------------------------------


def _document(data: bytes, indexer: str, content_type: str = "") -> etree._Element:
    head = data[:2048].lstrip().lower()
    if "html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html")):
        raise IndexerError(indexer, f"{indexer} answered with a web page, not a Torznab/Newznab feed: "
                                    "is the address its API endpoint (often ending in /api)?")
    refused = f"{indexer} answered with an XML document that declares entities or a DTD; BookDesk refuses to read it."
    if b"<!DOCTYPE" in data.upper():
        raise IndexerError(indexer, refused)  # no indexer feed needs a DTD
    try:
        root = hardened_xml.parse(data)
    except hardened_xml.XmlRefused:
        raise IndexerError(indexer, refused) from None
    except hardened_xml.XmlUnreadable as exc:
        if not exc.detail:
            raise IndexerError(indexer, f"{indexer} answered with an empty document.") from None
        raise IndexerError(indexer, f"{indexer} answered with something that is not readable XML "
                                    f"({exc.detail}).") from None
    if etree.QName(root).localname == "error":
        _raise_error(root, indexer)
    return root


def _raise_error(root: etree._Element, indexer: str) -> None:
    code_text = root.get("code") or ""
    description = (root.get("description") or root.text or "").strip()
    code = int(code_text) if code_text.isdigit() else None
    hint = _ERROR_HINTS.get(code or -1, "answered with an error")
    detail = f"error {code_text}" + (f": {description}" if description else "")
    advice = " Check the API key in Settings → Sources & Clients → Indexers." if code in (100, 101, 102) else ""
    raise IndexerError(indexer, f"{indexer} {hint} ({detail}).{advice}", status=code,
                       retryable=code in (500, 501, 900))


def parse_capabilities(data: bytes, indexer: str, content_type: str = "") -> Capabilities:
    root = _document(data, indexer, content_type)
    if etree.QName(root).localname != "caps":
        raise IndexerError(indexer, f"{indexer} answered the capabilities request with a <{root.tag}> document.")
    modes: dict[str, SearchMode] = {}
    for mode in root.iterfind("searching/*"):
        params = tuple(p.strip() for p in (mode.get("supportedParams") or "q").split(",") if p.strip())
        modes[etree.QName(mode).localname] = SearchMode((mode.get("available") or "").lower() == "yes", params)
    categories: dict[int, str] = {}
    for element in root.iter("category", "subcat"):
        ident = (element.get("id") or "").strip()
        if ident.isdigit():
            categories[int(ident)] = element.get("name") or ""
    limits = root.find("limits")
    limit_max = limits.get("max") if limits is not None else None
    return Capabilities(modes.get("search", SearchMode(True, ("q",))), modes.get("book-search", SearchMode(False)),
                        categories, int(limit_max) if limit_max and limit_max.isdigit() else None)


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def parse_results(data: bytes, indexer: str, content_type: str = "") -> list[Release]:
    """The releases in a search answer; items without a title or a link are left out."""
    root = _document(data, indexer, content_type)
    if etree.QName(root).localname != "rss":
        raise IndexerError(indexer, f"{indexer} answered the search with a <{root.tag}> document, not an RSS feed.")
    releases = []
    for item in root.iterfind("channel/item"):
        release = _release(item, indexer)
        if release is not None:
            releases.append(release)
    return releases


def _release(item: etree._Element, indexer: str) -> Release | None:
    attrs: dict[str, str] = {}
    categories: list[int] = []
    is_torznab = False
    for attr in item:
        if not isinstance(attr.tag, str) or etree.QName(attr).localname != "attr":
            continue
        name, value = (attr.get("name") or "").lower(), attr.get("value") or ""
        is_torznab = is_torznab or etree.QName(attr).namespace == TORZNAB_NS
        if name == "category" and _int(value) is not None:
            categories.append(int(float(value)))
        elif name:
            attrs.setdefault(name, value)
    title = (item.findtext("title") or "").strip()
    enclosure = item.find("enclosure")
    link = (item.findtext("link") or "").strip() or (enclosure.get("url") if enclosure is not None else "") or ""
    magnet = attrs.get("magneturl") or (link if link.startswith("magnet:") else None)
    link = link or magnet or ""
    if not title or not link:
        return None
    for element in item.iterfind("category"):
        if (element.text or "").strip().isdigit():
            categories.append(int(element.text.strip()))
    size = _int(item.findtext("size")) or _int(attrs.get("size"))
    if size is None and enclosure is not None:
        size = _int(enclosure.get("length")) or None
    enclosure_type = (enclosure.get("type") or "").lower() if enclosure is not None else ""
    protocol = _protocol(link, enclosure_type, is_torznab or "seeders" in attrs or bool(magnet))
    info_hash = (attrs.get("infohash") or "").lower() or None
    factor = attrs.get("downloadvolumefactor")
    return Release(
        indexer=indexer, title=title, guid=(item.findtext("guid") or "").strip() or link, link=link, size=size,
        published=_date(item.findtext("pubDate")) or _date(attrs.get("publishdate") or attrs.get("usenetdate")),
        categories=tuple(dict.fromkeys(categories)), seeders=_int(attrs.get("seeders")),
        peers=_int(attrs.get("peers") or attrs.get("leechers")), info_hash=info_hash, magnet=magnet,
        protocol=protocol, details_url=(item.findtext("comments") or "").strip() or None,
        download_factor=float(factor) if factor and _int(factor) is not None else None, attrs=attrs)


_DIRECT_SUFFIXES = (".epub", ".pdf", ".azw3", ".mobi", ".m4b", ".mp3", ".cbz", ".fb2")


def _protocol(link: str, enclosure_type: str, torrent_hints: bool) -> str:
    path = urlsplit(link).path.lower()
    if link.startswith("magnet:") or path.endswith(".torrent"):
        return "torrent"
    if path.endswith(".nzb"):
        return "usenet"
    if path.endswith(_DIRECT_SUFFIXES):  # the book itself, whatever the feed calls its enclosure
        return "direct"
    if "bittorrent" in enclosure_type:
        return "torrent"
    if "nzb" in enclosure_type:
        return "usenet"
    return "torrent" if torrent_hints else "usenet"


# ----- asking --------------------------------------------------------------------------------------


class TorznabIndexer:
    """One configured indexer. ``http`` is the caller's client (the worker's, from the net factory) and
    ``limiter`` its rate limiter (one of its own when not given); the API key goes in each URL."""

    def __init__(self, config: IndexerConfig, api_key: str | None, http: httpx.AsyncClient,
                 limiter: RateLimiter | None = None) -> None:
        self.config = config
        self.name = config.name
        self._api_key = api_key or ""
        self._http = http
        self._limiter = limiter if limiter is not None else RateLimiter()
        self._limiter.ensure_rate(rate_key(self._limiter, config.url), SERVICE_RATE)
        self._caps: Capabilities | None = None

    async def _get(self, params: dict[str, str]) -> tuple[bytes, str]:
        query = {**params, **({"apikey": self._api_key} if self._api_key else {})}
        shown = redact_url(str(httpx.URL(self.config.url, params=query)))
        log.info("asking %s: %s", self.name, shown)
        host = host_key(self.config.url)
        try:
            response = await fetch_paced(self._http, self._limiter, "GET", self.config.url, limit=MAX_ANSWER_BYTES,
                                         params=query, timeout=TIMEOUT, follow_redirects=True)
        except HostBusy as busy:
            raise IndexerError(self.name, f"{self.name}: {busy.message}", host=host, retryable=True) from None
        except ResponseTooLarge:
            raise IndexerError(self.name, f"{self.name} ({host}) answered with more than "
                                          f"{MAX_ANSWER_BYTES // (1024 * 1024)} MB; it was not read.",
                               host=host) from None
        except DeadlineExceeded as late:
            raise IndexerError(self.name, f"{self.name} ({host}) did not send its whole answer within "
                                          f"{late.seconds:g} s (it is too slow or stuck); try again later.",
                               host=host, retryable=True, too_slow=True) from None
        except httpx.ConnectError as exc:
            raise IndexerError(self.name, f"{self.name} cannot be reached at {redact_url(self.config.url)} ({exc}): "
                                          "is it running, and is the address right?", host=host,
                               retryable=True) from None
        except httpx.TimeoutException:
            raise IndexerError(self.name, f"{self.name} ({host}) did not answer in time.", host=host,
                               retryable=True) from None
        except httpx.HTTPError as exc:
            raise IndexerError(self.name, f"{self.name} could not be asked: {exc}.", host=host,
                               retryable=True) from None
        content_type = response.headers.get("content-type", "")
        data = response.content
        if response.status_code >= 400 and b"<error" in data[:4096]:
            _document(data, self.name, content_type)  # Prowlarr and Jackett say why: prefer their words
        if response.status_code in (401, 403):
            raise IndexerError(self.name, f"{self.name} refused the API key (HTTP {response.status_code}). "
                                          "Check it in Settings → Sources & Clients → Indexers.", status=response.status_code)
        if response.status_code >= 400:
            raise IndexerError(self.name, f"{self.name} answered HTTP {response.status_code}.",
                               status=response.status_code, retryable=response.status_code >= 500)
        return data, content_type

    async def capabilities(self) -> Capabilities:
        """What this indexer can search and its categories (asked once per indexer object)."""
        if self._caps is None:
            data, content_type = await self._get({"t": "caps"})
            self._caps = parse_capabilities(data, self.name, content_type)
        return self._caps

    async def search(self, title: str, author: str = "", *, media_kind: str | None = None,
                     isbn: str | None = None) -> list[Release]:
        """Releases for a book: a book search by title and author where the indexer has one, otherwise
        (and for an ISBN) a free-text search; duplicates by guid removed."""
        caps = await self.capabilities()
        base = {"extended": "1"}
        categories = caps.categories_for(media_kind)
        if categories:
            base["cat"] = ",".join(map(str, categories))
        if caps.limit_max:
            base["limit"] = str(min(caps.limit_max, 100))
        queries: list[dict[str, str]] = []
        if isbn:
            queries.append({**base, "t": "search", "q": isbn})
        if title and caps.book_search.supports("title"):
            query = {**base, "t": "book", "title": title}
            if author and caps.book_search.supports("author"):
                query["author"] = author
            queries.append(query)
        elif title:
            queries.append({**base, "t": "search", "q": " ".join(p for p in (author, title) if p)})
        found: dict[str, Release] = {}
        for params in queries:
            data, content_type = await self._get(params)
            for release in parse_results(data, self.name, content_type):
                found.setdefault(release.guid, release)
        return list(found.values())
