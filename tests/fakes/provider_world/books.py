"""The catalogue of "true" books and the decoys around them, with the ids each provider gives them."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tests.corpus import isbn13, png
from tests.fakes.provider_world.limits import PROVIDERS
from tests.fakes.provider_world.search import SearchIndex, tokens

DECOY_PREFIX = "979"  # the decoys' ISBNs never collide with the corpus' 978


def cover_png(rng: random.Random) -> bytes:
    """A real PNG of noise, a few kilobytes: big enough to count as a cover."""
    return png(width=32, height=48, noise=rng)


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
        return stable_b32(f"g{self.id}")[:12]

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


def stable_b32(text: str) -> str:
    import base64

    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode().rstrip("=")


def stable_number(text: str, modulo: int) -> int:
    """A number for ``text`` that is the same in every run (``hash`` is not)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) % modulo


def series_id(name: str) -> str:
    return stable_b32("series:" + name)[:12]


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
