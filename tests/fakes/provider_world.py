"""A pretend internet of book metadata: one real HTTP server on 127.0.0.1 that plays Open Library,
Google Books, Hardcover and Audnexus over one catalogue of "true" books.

Each provider lives under its own path prefix, so one server is all four and BookDesk's
``BOOKDESK_<NAME>_URL`` variables (or ``Settings.provider_urls``) point at it:

    /openlibrary            search.json, works/{id}.json, isbn/{isbn}.json
    /openlibrary-covers     b/id/{n}-L.jpg (not limited), b/isbn/{isbn}-L.jpg (100 per 5 minutes)
    /googlebooks/books/v1   volumes?q=..., volumes/{id}, series/get?series_id=...
    /hardcover/v1/graphql   POST GraphQL: search(...) and books(where: {editions: ...}), token required
    /audnexus               books/{asin}, books/{asin}/chapters
    /googlebooks-content, /hardcover-assets, /audible-images   the image hosts: each on a port of its
                            own (another host, as in real life), with no published limit

Search behaves roughly like the real engines: tokenised, case- and accent-insensitive, ranked by
word overlap (rare words count more), so a query brings back the book, its author's other books
and decoys: "Summary of <Title>" companions, a "Books 1-3" omnibus of a series, a book of the same
title by someone else. Open Library matches author words exactly; Google and Hardcover forgive
typos; Hardcover (Typesense) wants every word and drops words from the end when nothing matches.

Each provider's published limit is enforced per client (Open Library 3/s, Google 100/100 s,
Hardcover 60/min per token, Audnexus 100/min, Open Library covers by ISBN 100/5 min) with a 429 and
Retry-After, and every request is recorded with its time, so a test can prove the limit was never
exceeded and count requests per book. Hazards can be switched on per provider: down (connection
refused, connection reset, 503 page), occasional 500s, an HTML page instead of JSON, cut-off
bodies, slow answers and storms of 429s with Retry-After.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import threading
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from rapidfuzz.distance import Levenshtein

from tests.corpus import isbn13, png
from tests.servers.http_harness import LocalHttpServer
from tests.servers.ports import free_port

# ----- limits --------------------------------------------------------------------------------

PROVIDERS = ("openlibrary", "googlebooks", "hardcover", "audnexus")
CDNS = ("hardcover-assets", "googlebooks-content", "audible-images")


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``requests`` in any ``per_seconds`` window, per client."""

    requests: int
    per_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.per_seconds

    def scaled(self, factor: float) -> Limit:
        """The same limit ``factor`` times faster (tests): same count, shorter window."""
        return Limit(self.requests, self.per_seconds / factor)


# What each provider publishes. "images" (the CDNs) publish nothing and are not limited.
PUBLISHED_LIMITS: dict[str, Limit] = {
    "openlibrary": Limit(3, 1.0),  # identified clients
    "openlibrary_covers": Limit(100, 300.0),  # covers by ISBN/LCCN/OCLC/GoodReads ids; by cover id: free
    "googlebooks": Limit(100, 100.0),  # per user, on top of the daily quota
    "hardcover": Limit(60, 60.0),  # per token
    "audnexus": Limit(100, 60.0),
}

DECOY_PREFIX = "979"  # the decoys' ISBNs never collide with the corpus' 978


def cover_png(rng: random.Random) -> bytes:
    """A real PNG of noise, a few kilobytes: big enough to count as a cover."""
    return png(width=32, height=48, noise=rng)


# ----- the catalogue -------------------------------------------------------------------------

NARRATORS = ["Kate Reading", "Michael Kramer", "Simon Vance", "Rosamund Pike", "Ray Porter", "Julia Whelan",
             "Steven Pacey", "Moira Quirk", "Jefferson Mays", "Emily Woo Zeller"]
OTHER_AUTHORS = ["Marguerite Okafor", "Tobias Lindqvist", "Anneliese Brandt", "Kofi Mensah", "Priya Raman",
                 "Declan Murphy", "Yusuf Demir", "Hanna Virtanen", "Bruno Salgado", "Mei Lin Chao"]
# Companion books as they really appear: (title, subtitle, "author", publisher, Google category)
COMPANIONS = [
    ("Summary of {title}", "A Guide to {author}'s Novel", "QuickRead", "QuickRead", "Study Aids"),
    ("Study Guide: {title} by {author}", None, "SuperSummary", "SuperSummary", "Study Aids"),
    ("{title} by {author}", "Conversation Starters", "dailyBooks", "dailyBooks", "Fiction"),
    ("Workbook for {title}", "A Practical Guide", "Bright Summaries", "Bright Summaries", "Study Aids"),
    ("Summary & Analysis of {title}", None, "Instaread", "Instaread", "Literary Criticism"),
]
OMNIBUS = ["{series} Books 1-3", "{series}: The Complete Trilogy", "{series} Box Set"]


@dataclass
class Book:
    """One record the world knows. ``kind`` is "book" for a true book, else what the decoy is."""

    id: int
    title: str
    authors: list[str]
    year: int
    kind: str = "book"  # book, companion, omnibus, homonym
    subtitle: str | None = None
    isbn13: str | None = None
    asin: str | None = None
    series: str | None = None
    position: float | None = None
    language: str = "en"
    description: str = ""
    publisher: str = "Corpus Press"
    cover: bytes | None = None
    narrators: list[str] = field(default_factory=list)
    runtime_min: int | None = None
    popularity: int = 100
    category: str = "Fiction"
    truth: int | None = None  # index into the truth list, for true books
    known_to: frozenset[str] = frozenset(PROVIDERS)
    google_series: bool = False  # Google shows seriesInfo for it

    # ids each provider gives it
    @property
    def ol_work(self) -> str:
        return f"OL{100000 + self.id}W"

    @property
    def cover_id(self) -> int:
        return 8000000 + self.id

    @property
    def google_id(self) -> str:
        return _b32(f"g{self.id}")[:12]

    @property
    def hardcover_id(self) -> int:
        return 400000 + self.id

    @property
    def slug(self) -> str:
        return "-".join(tokens(self.title))[:80] or f"book-{self.id}"

    @property
    def position_label(self) -> str:
        if self.position is None:
            return ""
        return str(int(self.position)) if float(self.position).is_integer() else f"{self.position:g}"

    @property
    def isbn10(self) -> str | None:
        if not self.isbn13 or not self.isbn13.startswith("978"):
            return None
        body = self.isbn13[3:12]
        total = sum((10 - i) * int(d) for i, d in enumerate(body))
        check = (11 - total % 11) % 11
        return body + ("X" if check == 10 else str(check))


def _b32(text: str) -> str:
    import base64

    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode().rstrip("=")


def _num(text: str, modulo: int) -> int:
    """A number for ``text`` that is the same in every run (``hash`` is not)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) % modulo


def series_id(name: str) -> str:
    return _b32("series:" + name)[:12]


PLACEHOLDER_GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
                   b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


@dataclass
class Catalogue:
    books: list[Book]

    def __post_init__(self) -> None:
        self.by_id = {b.id: b for b in self.books}
        self.by_isbn = {b.isbn13: b for b in self.books if b.isbn13}
        self.by_asin = {b.asin: b for b in self.books if b.asin}
        self.by_work = {b.ol_work: b for b in self.books}
        self.by_cover = {b.cover_id: b for b in self.books if b.cover}
        self.by_google = {b.google_id: b for b in self.books}
        self.by_hardcover = {b.hardcover_id: b for b in self.books}
        self.series_names = {series_id(b.series): b.series for b in self.books if b.series}
        self._indexes: dict[str, SearchIndex] = {}

    def true_books(self) -> list[Book]:
        return [b for b in self.books if b.kind == "book"]

    def truth_book(self, index: int) -> Book:
        return next(b for b in self.books if b.truth == index)

    def index(self, provider: str) -> SearchIndex:
        if provider not in self._indexes:
            self._indexes[provider] = SearchIndex([b for b in self.books if provider in b.known_to])
        return self._indexes[provider]

    @classmethod
    def from_truth(cls, truth: Sequence[Mapping], *, seed: int = 1, coverage: Mapping[str, float] | None = None,
                   asin_share: float = 0.4, companion_share: float = 0.35, omnibus_share: float = 0.6,
                   homonym_share: float = 0.1, cover_share: float = 0.9, google_series_share: float = 0.6,
                   ) -> Catalogue:
        """The true books of ``truth`` (tests/corpus.py's manifest.json entries: title, author, series,
        index, isbn; optionally asin, year, description, narrators, runtime_min) and their decoys.

        ``coverage`` is the share of true books each provider knows (the rest it has never heard of).
        """
        rng = random.Random(seed)
        cover = {"openlibrary": 0.95, "googlebooks": 0.9, "hardcover": 0.9, "audnexus": 1.0, **(coverage or {})}
        books: list[Book] = []
        next_id = iter(range(1, 10**9))

        def known(audio: bool) -> frozenset[str]:
            found = {p for p in ("openlibrary", "googlebooks", "hardcover") if rng.random() < cover[p]}
            if audio and rng.random() < cover["audnexus"]:
                found.add("audnexus")
            return frozenset(found)

        for i, entry in enumerate(truth):
            authors = entry.get("authors") or [entry.get("author")]
            authors = [a for a in authors if a]
            title = entry["title"]
            asin = entry.get("asin")
            if asin is None and "asin" not in entry and rng.random() < asin_share:
                asin = "B0" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
            year = int(entry.get("year") or rng.randint(1968, 2023))
            series, position = entry.get("series"), entry.get("index")
            where = f", book {position:g} of the {series}," if series and position is not None else ""
            description = entry.get("description") or (
                f"{title}{where} is a novel by {' and '.join(authors)} about "
                f"{rng.choice(['a river pilot', 'a lost archive', 'two rival houses', 'a winter war'])}, "
                f"first published in {year}.")
            books.append(Book(
                id=next(next_id), title=title, authors=authors, year=year, isbn13=entry.get("isbn"), asin=asin,
                series=series, position=position, description=description,
                cover=cover_png(rng) if rng.random() < cover_share else None,
                narrators=list(entry.get("narrators") or ([rng.choice(NARRATORS)] if asin else [])),
                runtime_min=entry.get("runtime_min") or (rng.randint(300, 1400) if asin else None),
                popularity=rng.randint(200, 5000), truth=i, known_to=known(bool(asin)),
                google_series=bool(series) and rng.random() < google_series_share))
        true_books = list(books)
        for book in true_books:
            if rng.random() < companion_share:
                title, subtitle, maker, publisher, category = rng.choice(COMPANIONS)
                author = book.authors[0] if book.authors else "the author"
                books.append(Book(
                    id=next(next_id), title=title.format(title=book.title, author=author),
                    subtitle=subtitle.format(title=book.title, author=author) if subtitle else None,
                    authors=[maker], year=min(2024, book.year + rng.randint(1, 6)), kind="companion",
                    isbn13=isbn13(rng, DECOY_PREFIX), publisher=publisher, category=category,
                    description=f"A summary of {book.title} with analysis and key takeaways.",
                    popularity=rng.randint(20, 3000),
                    known_to=frozenset(p for p in ("openlibrary", "googlebooks", "hardcover")
                                       if rng.random() < {"googlebooks": 0.9}.get(p, 0.5))))
            if rng.random() < homonym_share:
                books.append(Book(
                    id=next(next_id), title=book.title, authors=[rng.choice(OTHER_AUTHORS)],
                    year=rng.randint(1950, 2023), kind="homonym", isbn13=isbn13(rng, DECOY_PREFIX),
                    description="Another book that happens to share the title.", cover=cover_png(rng),
                    popularity=rng.randint(100, 3000),
                    known_to=frozenset(p for p in ("openlibrary", "googlebooks", "hardcover") if rng.random() < 0.8)))
        by_series: dict[tuple[str, str], list[Book]] = {}
        for book in true_books:
            if book.series and book.authors:
                by_series.setdefault((book.series, book.authors[0]), []).append(book)
        for (series, author), members in sorted(by_series.items()):
            firsts = sorted((b for b in members if b.position in (1, 2, 3)), key=lambda b: b.position)
            if not firsts or rng.random() >= omnibus_share:
                continue
            name = rng.choice(OMNIBUS).format(series=series)
            books.append(Book(
                id=next(next_id), title=name, subtitle=", ".join(b.title for b in firsts), authors=[author],
                year=max(b.year for b in firsts) + 1, kind="omnibus", isbn13=isbn13(rng, DECOY_PREFIX), series=series,
                position=None, description=f"The first books of the {series} in one volume.", cover=cover_png(rng),
                popularity=rng.randint(100, 2000), known_to=frozenset({"openlibrary", "googlebooks", "hardcover"})))
        return cls(books)


# ----- searching -----------------------------------------------------------------------------

STOP_WORDS = frozenset({"the", "a", "an", "of", "and", "by", "in", "on", "to", "for", "with", "at", "from", "or"})
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "Ł": "l",
                       "đ": "d", "þ": "th", "ð": "d", "’": "", "'": ""})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def tokens(text: str | None) -> list[str]:
    return _WORD.findall(fold(text or ""))


@dataclass(frozen=True, slots=True)
class Engine:
    """How a provider's search matches words."""

    typo_min_len: tuple[int, int] | None = None  # word length for 1 and 2 typos; None: exact words only
    min_match: float = 0.5  # share of the query's words a result must have
    all_words: bool = False  # Typesense: every word, dropping words from the end until something matches
    split_join: bool = False  # "OlgaEklund" finds "Olga Eklund"


ENGINES = {
    "openlibrary": Engine(None, min_match=0.75),
    "googlebooks": Engine((5, 9), min_match=0.5),
    "hardcover": Engine((4, 7), all_words=True, split_join=True),
}
FIELD_WEIGHTS = {"title": 3.0, "subtitle": 1.5, "authors": 2.0, "series": 1.0}


class SearchIndex:
    def __init__(self, books: Iterable[Book]) -> None:
        self.books = list(books)
        self.fields = {b.id: {"title": tokens(b.title), "subtitle": tokens(b.subtitle),
                              "authors": [t for a in b.authors for t in tokens(a)], "series": tokens(b.series)}
                       for b in self.books}
        df: Counter[str] = Counter()
        for fields in self.fields.values():
            df.update(set(t for words in fields.values() for t in words))
        self.df = df

    def idf(self, word: str) -> float:
        return math.log(1 + (len(self.books) + 1) / (self.df.get(word, 0) + 0.5))

    def search(self, terms: Mapping[str | None, Sequence[str]], engine: Engine, limit: int,
               *, exact_fields: Iterable[str] = ()) -> list[Book]:
        """``terms`` maps a field group ("title", "authors", or None for any field) to query words.
        Every word of an ``exact_fields`` group must be found (Open Library's author= filter)."""
        query = {group: [w for w in words if w] for group, words in terms.items()}
        if engine.all_words:
            words = [(g, w) for g, ws in query.items() for w in ws]
            while words:
                found = self._rank(words, engine, 1.0, set(exact_fields))
                if found:
                    return found[:limit]
                words = words[:-1]  # Typesense's drop_tokens: from the right
            return []
        flat = [(g, w) for g, ws in query.items() for w in ws]
        return self._rank(flat, engine, engine.min_match, set(exact_fields))[:limit]

    def _rank(self, words: list[tuple[str | None, str]], engine: Engine, min_match: float,
              exact: set[str]) -> list[Book]:
        meaningful = [(g, w) for g, w in words if w not in STOP_WORDS] or words
        results = []
        for book in self.books:
            fields = self.fields[book.id]
            score, matched, ok = 0.0, 0, True
            for group, word in meaningful:
                names = ("title", "subtitle") if group == "title" else (group,) if group else tuple(fields)
                best = max((self._match(word, fields[name], engine) * FIELD_WEIGHTS[name] for name in names),
                           default=0.0)
                if best > 0:
                    matched += 1
                    score += best * self.idf(word)
                elif group in exact:
                    ok = False
                    break
            if not ok or not meaningful or matched / len(meaningful) < min_match - 1e-9:
                continue
            # a companion's extra words dilute it a little, as in any ranking of relevance
            length = len(fields["title"]) + len(fields["subtitle"])
            results.append((score / (1 + 0.02 * length), book.popularity, -book.id, book))
        results.sort(key=lambda r: (-r[0], -r[1], r[2]))
        return [r[3] for r in results]

    @staticmethod
    def _match(word: str, words: list[str], engine: Engine) -> float:
        if word in words:
            return 1.0
        if engine.typo_min_len and not word.isdigit():
            one, two = engine.typo_min_len
            allowed = 2 if len(word) >= two else 1 if len(word) >= one else 0
            if allowed and any(Levenshtein.distance(word, w, score_cutoff=allowed) <= allowed
                               for w in words if not w.isdigit()):
                return 0.8
        if engine.split_join and any(word == a + b for a, b in zip(words, words[1:], strict=False)):
            return 0.8
        return 0.0


# ----- hazards and records -------------------------------------------------------------------


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
class _Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    truncate: bool = False
    drop: bool = False  # close the connection without answering


def _json(value: object, status: int = 200, headers: dict[str, str] | None = None) -> _Reply:
    return _Reply(status, json.dumps(value, ensure_ascii=False).encode(), headers=dict(headers or {}))


def _html(status: int, title: str) -> _Reply:
    page = (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
            "<p>We are working on it. Please try again in a few minutes.</p></body></html>")
    return _Reply(status, page.encode(), "text/html; charset=utf-8")


def _image(data: bytes) -> _Reply:
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/gif" if data.startswith(b"GIF") else "image/jpeg"
    return _Reply(200, data, kind, {"Cache-Control": "public, max-age=2592000"})


# ----- the world -----------------------------------------------------------------------------


class ProviderWorld:
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

    def answer(self, method: str, raw_path: str, headers: dict[str, str], body: bytes, address: str) -> _Reply:
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
                reply = _json({"error": f"world bug: {exc!r}"}, 500)
                record.outcome = "world_error"
            if hazard.slow:
                time.sleep(hazard.slow)
        record.status = reply.status
        if reply.status == 404 and record.outcome == "ok":
            record.outcome = "not_found"
        return reply

    def _gate(self, record: Record, provider: str, client: str) -> _Reply | None:
        """Hazards and limits, under the lock. None: go on and answer."""
        hazard = self.hazards.get("openlibrary" if provider == "openlibrary_covers" else provider)
        if hazard is not None:
            if hazard.down in ("reset", "refused"):  # "refused" only reaches here when the URL was kept
                record.outcome = "hazard:reset"
                return _Reply(drop=True)
            if hazard.down == "503":
                record.outcome = "hazard:503"
                return _html(503, "503 Service Temporarily Unavailable")
            if hazard.storm > 0:
                hazard.storm -= 1
                record.outcome = "hazard:storm"
                return self._too_many(provider, hazard.storm_retry_after, at_least=0)
        limit = self.limits.get(provider)
        if provider == "hardcover" and not client.startswith("token:"):
            record.outcome = "unauthorized"
            return _json({"errors": [{"message": "Could not verify JWT: JWSError JWSInvalidSignature",
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
                return _html(500, "500 Internal Server Error") if provider == "openlibrary" else \
                    _json({"error": "Internal Server Error"}, 500)
            roll -= hazard.error_rate
            if roll < hazard.html_rate:
                record.outcome = "hazard:html"
                return _html(200, "Down for maintenance")
            roll -= hazard.html_rate
            if roll < hazard.truncate_rate:
                record.outcome = "hazard:truncate"  # answered in full, then cut off in _route
        return None

    def _too_many(self, provider: str, wait: float, at_least: int = 1) -> _Reply:
        seconds = str(max(at_least, math.ceil(wait)))
        if provider == "googlebooks":
            return _json({"error": {"code": 429, "message": "Quota exceeded for quota metric 'Queries'.",
                                    "errors": [{"message": "Rate Limit Exceeded", "domain": "global",
                                                "reason": "rateLimitExceeded"}], "status": "RESOURCE_EXHAUSTED"}},
                         429, {"Retry-After": seconds})
        if provider == "audnexus":
            return _json({"statusCode": 429, "error": "Too Many Requests",
                          "message": f"Rate limit exceeded, retry in {seconds} seconds"}, 429,
                         {"Retry-After": seconds, "x-ratelimit-remaining": "0", "x-ratelimit-reset": seconds})
        if provider == "hardcover":
            return _json({"error": "Throttled"}, 429, {"Retry-After": seconds})
        reply = _html(429, "429 Too Many Requests")
        reply.headers["Retry-After"] = seconds
        return reply

    def _route(self, record: Record, path: str, query: dict[str, list[str]], headers: dict[str, str],
               body: bytes) -> _Reply:
        truncate = record.outcome == "hazard:truncate"
        reply = self._dispatch(record, path, query, headers, body)
        reply.truncate = truncate
        return reply

    def _dispatch(self, record: Record, path: str, query: dict[str, list[str]], headers: dict[str, str],
                  body: bytes) -> _Reply:
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
            return _json(self._google_volume(book)) if book and "googlebooks" in book.known_to else _json(
                {"error": {"code": 404, "message": "The volume ID could not be found.", "errors": [
                    {"message": "The volume ID could not be found.", "domain": "global", "reason": "notFound"}]}}, 404)
        if path == "/googlebooks/books/v1/series/get":
            return self._google_series(query)
        if path == "/googlebooks-content/books/content":
            book = self.catalogue.by_google.get(param("id") or "")
            return _image(book.cover) if book and book.cover else _image(PLACEHOLDER_GIF)
        if path == "/hardcover/v1/graphql":
            if record.method != "POST":
                return _json({"errors": [{"message": "only POST is supported", "extensions": {"code": "not-supported"}}]},
                             405)
            return self._hardcover(record, body)
        match = re.fullmatch(r"/hardcover-assets/books/(\d+)\.png", path)
        if match:
            book = self.catalogue.by_hardcover.get(int(match.group(1)))
            return _image(book.cover) if book and book.cover else _json({"error": "not found"}, 404)
        match = re.fullmatch(r"/audnexus/books/([0-9A-Z]{10})(/chapters)?", path)
        if match:
            return self._audnexus(match.group(1), bool(match.group(2)))
        match = re.fullmatch(r"/audible-images/images/I/([0-9A-Z]{10})\.png", path)
        if match:
            book = self.catalogue.by_asin.get(match.group(1))
            return _image(book.cover) if book and book.cover else _json({"error": "not found"}, 404)
        return _json({"error": "Not Found", "path": path}, 404)

    # ----- Open Library ----------------------------------------------------------------------

    OL_DEFAULT_FIELDS = ("key", "type", "title", "subtitle", "author_name", "author_key", "first_publish_year",
                         "edition_count", "isbn", "cover_i", "language", "publisher", "number_of_pages_median")

    def _ol_doc(self, book: Book) -> dict:
        doc = {"key": f"/works/{book.ol_work}", "type": "work", "title": book.title,
               "author_name": list(book.authors), "author_key": [f"OL{_num(a, 10**6)}A" for a in book.authors],
               "first_publish_year": book.year, "edition_count": 1 + book.popularity // 1000,
               "language": ["eng"] if book.language == "en" else [book.language],
               "publisher": [book.publisher], "number_of_pages_median": 200 + book.id % 300}
        if book.subtitle:
            doc["subtitle"] = book.subtitle
        isbns = [i for i in (book.isbn13, book.isbn10) if i]
        if isbns:
            doc["isbn"] = isbns
        if book.cover:
            doc["cover_i"] = book.cover_id
        return doc

    def _ol_search(self, record: Record, query: dict[str, list[str]], param) -> _Reply:  # noqa: ANN001
        limit = max(1, min(1000, int(param("limit", "100") or 100)))
        q, title, author = param("q"), param("title"), param("author")
        index = self.catalogue.index("openlibrary")
        found: list[Book]
        isbns = re.findall(r"isbn:\s*([\dXx-]+)", q or "")
        if isbns and re.fullmatch(r"\s*isbn:\s*[\dXx-]+(?:\s+OR\s+isbn:\s*[\dXx-]+)*\s*", q or ""):
            wanted = {i.replace("-", "").upper() for i in isbns}
            found = [b for b in index.books if wanted & {b.isbn13, b.isbn10}]
            record.search = "isbn:" + ",".join(sorted(wanted))
        elif q or title or author:
            terms: dict[str | None, list[str]] = {}
            if q:
                terms[None] = tokens(q)
            if title:
                terms["title"] = tokens(title)
            if author:
                terms["authors"] = tokens(author)
            record.search = " | ".join(filter(None, (q, title, author)))
            found = index.search(terms, ENGINES["openlibrary"], 1000, exact_fields=("authors",))
        else:
            return _json({"error": "Missing query"}, 422)
        fields = param("fields")
        wanted_fields = [f.strip() for f in fields.split(",")] if fields else list(self.OL_DEFAULT_FIELDS)
        docs = []
        for book in found[:limit]:
            doc = self._ol_doc(book)
            docs.append(doc if "*" in wanted_fields else {k: doc[k] for k in wanted_fields if k in doc})
        return _json({"numFound": len(found), "start": 0, "numFoundExact": True, "docs": docs,
                      "num_found": len(found), "q": q or "", "offset": None})

    def _ol_work(self, work: str) -> _Reply:
        book = self.catalogue.by_work.get(work)
        if book is None or "openlibrary" not in book.known_to:
            return _json({"error": "notfound", "key": f"/works/{work}"}, 404)
        record = {"key": f"/works/{work}", "title": book.title, "type": {"key": "/type/work"},
                  "authors": [{"author": {"key": f"/authors/OL{_num(a, 10**6)}A"},
                               "type": {"key": "/type/author_role"}} for a in book.authors],
                  "description": {"type": "/type/text", "value": book.description},
                  "subjects": ["Fiction"], "revision": 3, "latest_revision": 3}
        if book.subtitle:
            record["subtitle"] = book.subtitle
        if book.cover:
            record["covers"] = [book.cover_id]
        return _json(record)

    def _ol_edition(self, isbn: str) -> _Reply:
        book = self.catalogue.by_isbn.get(isbn) or next(
            (b for b in self.catalogue.books if b.isbn10 == isbn), None)
        if book is None or "openlibrary" not in book.known_to:
            return _json({"error": "notfound", "key": f"/isbn/{isbn}"}, 404)
        return _json({"key": f"/books/OL{200000 + book.id}M", "title": book.title,
                      "works": [{"key": f"/works/{book.ol_work}"}], "isbn_13": [book.isbn13],
                      "publishers": [book.publisher], "publish_date": str(book.year),
                      "covers": [book.cover_id] if book.cover else []})

    def _ol_cover(self, kind: str, value: str, default: str | None) -> _Reply:
        book = (self.catalogue.by_cover.get(int(value)) if kind == "id"
                else self.catalogue.by_isbn.get(value) or next((b for b in self.catalogue.books if b.isbn10 == value),
                                                               None))
        if book is not None and book.cover and "openlibrary" in book.known_to:
            return _image(book.cover)
        if default == "false":
            return _Reply(404, b"Not Found", "text/plain")
        return _image(PLACEHOLDER_GIF)  # Open Library's 1x1 "no cover" picture

    # ----- Google Books ----------------------------------------------------------------------

    def _google_volume(self, book: Book) -> dict:
        ids = [{"type": "ISBN_13", "identifier": book.isbn13}] if book.isbn13 else []
        if book.isbn10:
            ids.append({"type": "ISBN_10", "identifier": book.isbn10})
        if not ids:
            ids = [{"type": "OTHER", "identifier": f"PKEY:{book.id:013d}"}]
        published = f"{min(2024, book.year + book.id % 4)}-{1 + book.id % 12:02d}-{1 + book.id % 28:02d}"
        info: dict = {"title": book.title, "authors": list(book.authors), "publisher": book.publisher,
                      "publishedDate": published,
                      "description": f"<p><b>{book.title}</b></p><p>{book.description}</p>",
                      "industryIdentifiers": ids, "readingModes": {"text": True, "image": False},
                      "pageCount": 200 + book.id % 300, "printType": "BOOK", "categories": [book.category],
                      "maturityRating": "NOT_MATURE", "allowAnonLogging": True, "contentVersion": "1.1.1.0.preview.2",
                      "language": book.language,
                      "previewLink": f"http://books.google.com/books?id={book.google_id}&printsec=frontcover",
                      "infoLink": f"http://books.google.com/books?id={book.google_id}&source=gbs_api",
                      "canonicalVolumeLink": f"https://books.google.com/books/about/x.html?id={book.google_id}"}
        if book.subtitle:
            info["subtitle"] = book.subtitle
        if book.cover:
            link = (f"{self.cdn('googlebooks-content')}/books/content?id={book.google_id}"
                    "&printsec=frontcover&img=1&zoom=1&edge=curl&source=gbs_api")
            info["imageLinks"] = {"smallThumbnail": link.replace("zoom=1", "zoom=5"), "thumbnail": link}
        if book.series and book.google_series and book.position is not None:
            info["seriesInfo"] = {"kind": "books#volume_series_info", "bookDisplayNumber": book.position_label,
                                  "volumeSeries": [{"seriesId": series_id(book.series), "seriesBookType": "ISSUE",
                                                    "orderNumber": max(1, int(book.position))}]}
        return {"kind": "books#volume", "id": book.google_id, "etag": _b32(f"etag{book.id}")[:11],
                "selfLink": f"{self.url}/googlebooks/books/v1/volumes/{book.google_id}", "volumeInfo": info,
                "saleInfo": {"country": "US", "saleability": "NOT_FOR_SALE", "isEbook": False},
                "accessInfo": {"country": "US", "viewability": "PARTIAL", "embeddable": True}}

    def _google_key_error(self, query: dict[str, list[str]]) -> _Reply | None:
        key = (query.get("key") or [None])[0]
        if key is not None and self.google_keys is not None and key not in self.google_keys:
            return _json({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                                    "errors": [{"message": "API key not valid. Please pass a valid API key.",
                                                "domain": "global", "reason": "badRequest"}],
                                    "status": "INVALID_ARGUMENT"}}, 400)
        return None

    def _google_volumes(self, record: Record, query: dict[str, list[str]], param) -> _Reply:  # noqa: ANN001
        refused = self._google_key_error(query)
        if refused:
            return refused
        q = param("q")
        if not q:
            return _json({"error": {"code": 400, "message": "Missing query.", "errors": [
                {"message": "Missing query.", "domain": "global", "reason": "queryRequired"}]}}, 400)
        limit = max(1, min(40, int(param("maxResults", "10") or 10)))
        index = self.catalogue.index("googlebooks")
        record.search = q
        isbn = re.fullmatch(r"\s*isbn:\s*([\dXx-]+)\s*", q)
        if isbn:
            wanted = isbn.group(1).replace("-", "").upper()
            found = [b for b in index.books if wanted in (b.isbn13, b.isbn10)]
        else:
            found = index.search(google_terms(q), ENGINES["googlebooks"], 40)
        if not found:
            return _json({"kind": "books#volumes", "totalItems": 0})
        return _json({"kind": "books#volumes", "totalItems": len(found),
                      "items": [self._google_volume(b) for b in found[:limit]]})

    def _google_series(self, query: dict[str, list[str]]) -> _Reply:
        refused = self._google_key_error(query)
        if refused:
            return refused
        ids = query.get("series_id") or []
        if not ids:
            return _json({"error": {"code": 400, "message": "Missing series_id.", "errors": [
                {"message": "Missing series_id.", "domain": "global", "reason": "required"}]}}, 400)
        series = [{"seriesId": sid, "title": self.catalogue.series_names[sid],
                   "imageUrl": f"{self.cdn('googlebooks-content')}/books/content?series={sid}",
                   "bannerImageUrl": f"{self.cdn('googlebooks-content')}/books/content?series={sid}",
                   "seriesType": "SERIES", "eligibleForSubscription": False}
                  for sid in ids if sid in self.catalogue.series_names]
        return _json({"kind": "books#series", "series": series})

    # ----- Hardcover (GraphQL) ----------------------------------------------------------------

    def _hardcover(self, record: Record, body: bytes) -> _Reply:
        try:
            request = json.loads(body)
            document = parse_graphql(request["query"])
        except (ValueError, KeyError, TypeError, GraphQLError) as exc:
            return _json({"errors": [{"message": f"parsing the query failed: {exc}",
                                      "extensions": {"path": "$.query", "code": "parse-failed"}}]})
        variables = request.get("variables") or {}
        try:
            data = {}
            for root in document:
                args = resolve(root.args, variables)
                if root.name == "search":
                    record.search = str(args.get("query", ""))
                    data[root.alias] = self._hc_search(args, root)
                elif root.name == "books":
                    record.search = json.dumps(args.get("where", {}), sort_keys=True)
                    data[root.alias] = [project(_hc_book(self, b), root, "books", variables)
                                        for b in self._hc_books(args)]
                else:
                    raise GraphQLError(f"field '{root.name}' not found in type: 'query_root'",
                                       f"$.selectionSet.{root.name}")
        except GraphQLError as exc:
            return _json({"errors": [{"message": exc.message,
                                      "extensions": {"path": exc.path, "code": "validation-failed"}}]})
        return _json({"data": data})

    def _hc_search(self, args: dict, root: Field) -> dict:
        if str(args.get("query_type", "Book")).lower() != "book":
            raise GraphQLError("query_type must be one of Book, Author, Series, ...", "$.selectionSet.search")
        per_page = max(1, min(100, int(args.get("per_page", 25))))
        page = max(1, int(args.get("page", 1)))
        found = self.catalogue.index("hardcover").search({None: tokens(str(args.get("query", "")))},
                                                          ENGINES["hardcover"], 250)
        hits = [{"document": self._hc_document(b), "highlight": {}, "text_match": 10**17 - i}
                for i, b in enumerate(found[(page - 1) * per_page: page * per_page])]
        results = {"facet_counts": [], "found": len(found), "hits": hits, "out_of": len(self.catalogue.books),
                   "page": page, "request_params": {"collection_name": "Book_production", "per_page": per_page,
                                                    "q": str(args.get("query", ""))}, "search_time_ms": 3}
        for field_ in root.selection:
            if field_.name != "results":
                raise GraphQLError(f"field '{field_.name}' not found in type: 'SearchOutput'",
                                   f"$.selectionSet.search.selectionSet.{field_.name}")
        return {"results": results}

    def _hc_document(self, book: Book) -> dict:
        featured = None
        if book.series:
            featured = {"details": book.position_label, "featured": True, "position": book.position,
                        "unreleased": False, "series": {"id": _num(book.series, 10**5), "name": book.series,
                                                        "primary_books_count": 7, "slug": "-".join(tokens(book.series)),
                                                        "books_count": 9}}
        return {"id": str(book.hardcover_id), "title": book.title, "subtitle": book.subtitle, "slug": book.slug,
                "author_names": list(book.authors),
                "contributions": [{"author": {"id": _num(a, 10**6), "name": a, "slug": "-".join(tokens(a))},
                                   "contribution": None} for a in book.authors],
                "compilation": book.kind == "omnibus", "description": book.description, "featured_series": featured,
                "image": ({"url": f"{self.cdn('hardcover-assets')}/books/{book.hardcover_id}.png", "width": 32,
                           "height": 48, "color": "#334455"} if book.cover else {}),
                "isbns": [i for i in (book.isbn13, book.isbn10) if i], "release_year": book.year,
                "release_date": f"{book.year}-06-01", "series_names": [book.series] if book.series else [],
                "users_count": book.popularity}

    def _hc_books(self, args: dict) -> list[Book]:
        where = args.get("where") or {}
        books = [b for b in self.catalogue.books if "hardcover" in b.known_to]
        books = [b for b in books if _hc_where(b, where)]
        books.sort(key=lambda b: -b.popularity)
        return books[: int(args.get("limit", 100))]

    # ----- Audnexus --------------------------------------------------------------------------

    def _audnexus(self, asin: str, chapters: bool) -> _Reply:
        book = self.catalogue.by_asin.get(asin)
        if book is None or "audnexus" not in book.known_to:
            return _json({"statusCode": 404, "error": "Not Found", "message": "Item not available in region: us"},
                         404)
        runtime = book.runtime_min or 600
        if chapters:
            count = max(3, runtime // 45)
            each = runtime * 60000 // count
            return _json({"asin": asin, "brandIntroDurationMs": 2043, "brandOutroDurationMs": 5062,
                          "chapters": [{"lengthMs": each, "startOffsetMs": i * each, "startOffsetSec": i * each // 1000,
                                        "title": f"Chapter {i + 1}"} for i in range(count)],
                          "isAccurate": True, "runtimeLengthMs": runtime * 60000, "runtimeLengthSec": runtime * 60})
        record = {"asin": asin, "authors": [{"asin": f"B00{_num(a, 10**7):07d}", "name": a} for a in book.authors],
                  "copyright": book.year, "description": book.description[:200], "formatType": "unabridged",
                  "genres": [{"asin": "18580606011", "name": "Science Fiction & Fantasy", "type": "genre"}],
                  "image": f"{self.cdn('audible-images')}/images/I/{asin}.png" if book.cover else None,
                  "isAdult": False, "isbn": book.isbn13, "language": "english", "literatureType": "fiction",
                  "narrators": [{"name": n} for n in book.narrators], "publisherName": f"{book.publisher} Audio",
                  "rating": "4.5", "region": "us", "releaseDate": f"{book.year}-06-01T00:00:00.000Z",
                  "runtimeLengthMin": runtime, "summary": f"<p>{book.description}</p>", "title": book.title}
        if book.subtitle:
            record["subtitle"] = book.subtitle
        if book.series:
            record["seriesPrimary"] = {"asin": f"B0S{series_id(book.series)[:7]}", "name": book.series,
                                       "position": f"Book {book.position_label}" if book.position_label else None}
        return _json(record)


def google_terms(q: str) -> dict[str | None, list[str]]:
    """Google's query syntax: ``intitle:`` and ``inauthor:`` hold the one word (or "quoted phrase")
    after them; every other word may match anywhere."""
    terms: dict[str | None, list[str]] = {}
    for op, phrase, word in re.findall(r'(?:(\w+):)?(?:"([^"]*)"|(\S+))', q):
        group = {"intitle": "title", "inauthor": "authors"}.get(op.lower()) if op else None
        terms.setdefault(group, []).extend(tokens(phrase or word))
    return terms


def _owner(book: Book, catalogue: Catalogue) -> Book | None:
    """A decoy's cover or record counts for the true book whose search found it."""
    if book.kind == "book":
        return book
    return next((b for b in catalogue.true_books() if tokens(b.title) and set(tokens(b.title)) <= set(
        tokens(f"{book.title} {book.subtitle or ''}"))), None)


def _hc_where(book: Book, where: dict) -> bool:
    """The few ``where`` filters BookDesk uses, the way Hasura reads them."""
    for key, condition in where.items():
        if key == "editions":
            editions = _hc_editions(book)
            if not any(_hc_where_edition(e, condition) for e in editions):
                return False
        elif key == "id":
            if not _compare(book.hardcover_id, condition):
                return False
        elif key == "title":
            if not _compare(book.title, condition):
                return False
        elif key in ("_and", "_or"):
            parts = [_hc_where(book, c) for c in condition]
            if not (all(parts) if key == "_and" else any(parts)):
                return False
        else:
            raise GraphQLError(f"field '{key}' not found in type: 'books_bool_exp'", "$.selectionSet.books.args.where")
    return True


def _hc_where_edition(edition: dict, condition: dict) -> bool:
    for key, test in condition.items():
        if key not in edition:
            raise GraphQLError(f"field '{key}' not found in type: 'editions_bool_exp'",
                               "$.selectionSet.books.args.where.editions")
        if not _compare(edition[key], test):
            return False
    return True


def _compare(value: object, test: dict) -> bool:
    for op, wanted in test.items():
        if op == "_eq" and value != wanted:
            return False
        if op == "_in" and value not in wanted:
            return False
        if op not in ("_eq", "_in"):
            raise GraphQLError(f"operator '{op}' is not supported here", "$")
    return True


def _hc_editions(book: Book) -> list[dict]:
    editions = [{"id": 3000000 + book.id, "isbn_13": book.isbn13, "isbn_10": book.isbn10, "asin": None,
                 "title": book.title, "edition_format": "Paperback", "release_date": f"{book.year}-06-01",
                 "audio_seconds": None, "reading_format_id": 1}]
    if book.asin:
        editions.append({"id": 5000000 + book.id, "isbn_13": None, "isbn_10": None, "asin": book.asin,
                         "title": book.title, "edition_format": "Audible Audio", "release_date": f"{book.year}-06-01",
                         "audio_seconds": (book.runtime_min or 0) * 60, "reading_format_id": 2})
    return editions


def _hc_book(world: ProviderWorld, book: Book) -> dict:
    """A ``books`` row with everything the schema offers; ``project`` keeps what was asked for."""
    return {"id": book.hardcover_id, "title": book.title, "subtitle": book.subtitle, "slug": book.slug,
            "description": book.description, "release_date": f"{book.year}-06-01", "release_year": book.year,
            "compilation": book.kind == "omnibus", "users_count": book.popularity, "rating": 4.1, "pages": 320,
            "image": ({"url": f"{world.cdn('hardcover-assets')}/books/{book.hardcover_id}.png", "width": 32,
                       "height": 48, "color": "#334455"} if book.cover else None),
            "contributions": [{"contribution": None, "author": {"id": _num(a, 10**6), "name": a,
                                                                  "slug": "-".join(tokens(a))}}
                              for a in book.authors],
            "book_series": ([{"position": book.position, "details": book.position_label, "featured": True,
                              "series": {"id": _num(book.series, 10**5), "name": book.series,
                                         "slug": "-".join(tokens(book.series)), "primary_books_count": 7,
                                         "books_count": 9}}] if book.series else []),
            "editions": _hc_editions(book)}


# ----- a little GraphQL ----------------------------------------------------------------------


class GraphQLError(Exception):
    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(message)
        self.message, self.path = message, path


@dataclass
class Field:
    name: str
    alias: str
    args: dict
    selection: list[Field]


@dataclass(frozen=True)
class Var:
    name: str


_TOKEN = re.compile(r'\s*(?:(?P<spread>\.\.\.)|(?P<punct>[{}()\[\]:,!$=@])|(?P<string>"(?:[^"\\]|\\.)*")'
                    r'|(?P<number>-?\d+(?:\.\d+)?)|(?P<name>[_A-Za-z][_0-9A-Za-z]*)|(?P<comment>#[^\n]*))')


def _lex(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise GraphQLError(f"unexpected character {text[pos:pos + 10]!r}")
        pos = match.end()
        kind = match.lastgroup
        if kind != "comment":
            out.append((kind, match.group(kind)))
    return out


def parse_graphql(text: str) -> list[Field]:
    """The root fields of the one query operation in ``text``."""
    return _GraphQLParser(_lex(text)).operation()


class _GraphQLParser:
    """A recursive-descent reader of the GraphQL this fake accepts: one query, no fragments."""

    def __init__(self, toks: list[tuple[str, str]]) -> None:
        self.toks = toks
        self.pos = 0

    def peek(self, value: str | None = None) -> bool:
        return self.pos < len(self.toks) and (value is None or self.toks[self.pos][1] == value)

    def take(self, value: str | None = None) -> str:
        if self.pos >= len(self.toks) or (value is not None and self.toks[self.pos][1] != value):
            raise GraphQLError(f"expected {value or 'more'} at token {self.pos}")
        self.pos += 1
        return self.toks[self.pos - 1][1]

    def operation(self) -> list[Field]:
        if self.peek("query"):
            self.take("query")
            if self.pos < len(self.toks) and self.toks[self.pos][0] == "name":
                self.take()
            if self.peek("("):  # variable definitions: ($value: String!, $limit: Int!)
                depth = 0
                while True:
                    token = self.take()
                    depth += token == "("
                    depth -= token == ")"
                    if depth == 0:
                        break
        elif self.peek("mutation"):
            raise GraphQLError("mutations are not allowed here")
        fields = self.selection()
        if self.pos != len(self.toks):
            raise GraphQLError("more than one operation")
        return fields

    def selection(self) -> list[Field]:
        self.take("{")
        fields = []
        while not self.peek("}"):
            if self.peek("..."):
                raise GraphQLError("fragments are not supported by this fake")
            name = self.take()
            alias = name
            if self.peek(":"):
                self.take(":")
                name = self.take()
            args = self.arguments()
            sub = self.selection() if self.peek("{") else []
            fields.append(Field(name, alias, args, sub))
            self._comma()
        self.take("}")
        return fields

    def arguments(self) -> dict:
        return dict(self._sequence("(", ")", self._pair)) if self.peek("(") else {}

    def value(self) -> object:
        kind, text_ = self.toks[self.pos]
        if text_ == "$":
            self.take("$")
            return Var(self.take())
        if text_ == "{":
            return self._object()
        if text_ == "[":
            return self._list()
        self.take()
        if kind == "string":
            return json.loads(text_)
        if kind == "number":
            return float(text_) if "." in text_ else int(text_)
        return {"true": True, "false": False, "null": None}.get(text_, text_)  # enums stay words

    def _object(self) -> dict:
        return dict(self._sequence("{", "}", self._pair))

    def _list(self) -> list:
        return self._sequence("[", "]", self.value)

    def _pair(self) -> tuple[str, object]:
        name = self.take()
        self.take(":")
        return name, self.value()

    def _sequence(self, opening: str, closing: str, item: Callable[[], object]) -> list:
        self.take(opening)
        items = []
        while not self.peek(closing):
            items.append(item())
            self._comma()
        self.take(closing)
        return items

    def _comma(self) -> None:
        if self.peek(","):
            self.take(",")


def resolve(value: object, variables: Mapping) -> object:
    if isinstance(value, Var):
        if value.name not in variables:
            raise GraphQLError(f"variable '{value.name}' is not defined", "$.variableValues")
        return variables[value.name]
    if isinstance(value, dict):
        return {k: resolve(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, variables) for v in value]
    return value


# The parts of Hardcover's schema BookDesk may ask for: type -> field -> type of an object field (or None).
SCHEMA: dict[str, dict[str, str | None]] = {
    "books": {"id": None, "title": None, "subtitle": None, "slug": None, "description": None, "release_date": None,
              "release_year": None, "compilation": None, "users_count": None, "rating": None, "pages": None,
              "image": "images", "contributions": "contributions", "book_series": "book_series",
              "editions": "editions"},
    "images": {"url": None, "width": None, "height": None, "color": None},
    "contributions": {"contribution": None, "author": "authors"},
    "authors": {"id": None, "name": None, "slug": None},
    "book_series": {"position": None, "details": None, "featured": None, "series": "series"},
    "series": {"id": None, "name": None, "slug": None, "primary_books_count": None, "books_count": None},
    "editions": {"id": None, "isbn_13": None, "isbn_10": None, "asin": None, "title": None, "edition_format": None,
                 "release_date": None, "audio_seconds": None, "reading_format_id": None},
}


def project(record: object, node: Field, type_name: str, variables: Mapping, path: str = "$.selectionSet") -> object:
    """``record`` cut down to the fields ``node`` selects, refusing fields the type does not have."""
    if record is None:
        return None
    if isinstance(record, list):
        return [project(r, node, type_name, variables, path) for r in record]
    out = {}
    here = f"{path}.{node.name}.selectionSet"
    for child in node.selection:
        if child.name == "__typename":
            out[child.alias] = type_name
            continue
        fields = SCHEMA[type_name]
        if child.name not in fields:
            raise GraphQLError(f"field '{child.name}' not found in type: '{type_name}'", f"{here}.{child.name}")
        sub_type = fields[child.name]
        value = record.get(child.name) if isinstance(record, dict) else None
        if sub_type is None:
            if child.selection:
                raise GraphQLError(f"unexpected subselection set for non-object field '{child.name}'",
                                   f"{here}.{child.name}")
            out[child.alias] = value
            continue
        if not child.selection:
            raise GraphQLError(f"missing selection set for '{child.name}'", f"{here}.{child.name}")
        if child.name == "editions" and isinstance(value, list):
            args = resolve(child.args, variables)
            where = args.get("where") or {}
            value = [e for e in value if _hc_where_edition(e, where)][: int(args.get("limit", len(value)))]
        out[child.alias] = project(value, child, sub_type, variables, here)
    return out


# ----- judging results against the truth -----------------------------------------------------


def same_text(a: str | None, b: str | None) -> bool:
    """Equal after folding case, accents and punctuation."""
    return tokens(a) == tokens(b)


def requests_per_book(world: ProviderWorld, books: int) -> float:
    return round(len(world.requests()) / max(1, books), 3)


def bookdesk_rates(world: ProviderWorld, limits: Mapping[str, Limit] | None = None) -> dict:
    """Rates for BookDesk's RateLimiter, keyed the way its providers key the world's addresses.

    With no ``limits``, BookDesk's own published rates (what a user's BookDesk uses). With
    ``limits`` (a test's faster world), the same counts and windows as the world enforces, each
    with the burst BookDesk publishes for that provider (never more than the count)."""
    from bookdesk.core.net import rate_limiter as rl
    from bookdesk.core.providers.endpoints import rate_key

    published = {"openlibrary": rl.OPENLIBRARY_RATE, "openlibrary_covers": rl.OPENLIBRARY_COVERS_RATE,
                 "googlebooks": rl.GOOGLEBOOKS_RATE, "hardcover": rl.HARDCOVER_RATE, "audnexus": rl.AUDNEXUS_RATE}
    rates = {}
    for name, url in world.provider_urls().items():
        rate = published[name]
        if limits is not None and name in limits:
            limit = limits[name]
            rate = rl.Rate(limit.requests, limit.per_seconds, min(rate.burst, limit.requests))
        rates[rate_key(url)] = rate
    return rates


def scaled_limits(factor: float) -> dict[str, Limit]:
    """The published limits, ``factor`` times faster (the same count in a shorter window)."""
    return {name: limit.scaled(factor) for name, limit in PUBLISHED_LIMITS.items()}
