"""How well a provider's candidate fits what the library knows of a book, and why.

A score is a set of named parts (identifier, title, author, series, year, duration, language),
each with a weight, a value in 0..1 and a sentence a person can read. The total is the weighted
mean over the parts that had evidence on both sides, so a missing year neither helps nor
hurts, and an exact ISBN alone is enough. Penalties multiply the total: a summary of the book
or an omnibus that holds it is never the book.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bookdesk.core.candidate_scoring.names import match_authors
from bookdesk.core.candidate_scoring.titles import companion_kind, compare_titles, is_omnibus
from bookdesk.core.providers.base import Candidate, Query
from bookdesk.data.catalog_rows import UNKNOWN_AUTHOR, SeriesRef, WorkDetail
from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.positions import position_of

# Relative weights. An identifier match outweighs title and author together, so an ISBN carries
# a poorly titled file (a totally different title still sends it to review); title and author are what search results mostly have; series position,
# duration and year separate near neighbours (book 2 from book 3, abridged from unabridged).
WEIGHTS: dict[str, float] = {
    "identifier": 10.0,
    "title": 4.0,
    "author": 3.0,
    "series": 2.0,
    "duration": 2.0,
    "year": 0.5,
    "language": 0.5,
}
IDENTIFIER_DIFFERS_WEIGHT = 1.0  # another ISBN is often just another edition: weak evidence against
COMPANION_FACTOR = 0.25  # a summary or study guide: never the book
OMNIBUS_FACTOR = 0.4  # an omnibus for a single book, or a single book for an omnibus

_ISBN_KEYS = {"isbn", "isbn10", "isbn13", "isbn_10", "isbn_13", "ean"}
_ID_LABELS = {"isbn": "ISBN", "asin": "ASIN", "openlibrary": "Open Library id", "google": "Google Books id",
              "googlebooks": "Google Books id", "hardcover": "Hardcover id", "goodreads": "Goodreads id",
              "audible": "Audible id", "audnexus": "ASIN"}
_LANGUAGES = {"eng": "en", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "spa": "es", "ita": "it",
              "por": "pt", "dut": "nl", "nld": "nl", "rus": "ru", "jpn": "ja", "chi": "zh", "zho": "zh",
              "swe": "sv", "dan": "da", "nor": "no", "fin": "fi", "pol": "pl"}
_SERIES_NOISE = {"the", "series", "cycle", "saga", "chronicles", "trilogy", "sequence", "novels", "books",
                 "book", "universe", "quartet"}
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of evidence: how much it counts, how well it agrees, and in words."""

    name: str  # "identifier", "title", "author", "series", "year", "duration", "language"
    weight: float
    value: float  # 0..1, 1 = agrees fully
    note: str  # "title 92% similar"


@dataclass(frozen=True, slots=True)
class Penalty:
    """Something that makes a candidate not the book, whatever else agrees."""

    name: str  # "companion", "omnibus"
    factor: float  # the total is multiplied by it
    note: str


@dataclass(frozen=True, slots=True)
class Score:
    parts: tuple[Part, ...] = ()
    penalties: tuple[Penalty, ...] = ()

    @property
    def total(self) -> float:
        """0..1: the weighted mean of the parts that had evidence, times every penalty."""
        weight = sum(p.weight for p in self.parts)
        if weight <= 0:
            return 0.0
        mean = sum(p.weight * p.value for p in self.parts) / weight
        return round(mean * math.prod(p.factor for p in self.penalties), 4)

    @property
    def penalised(self) -> bool:
        return bool(self.penalties)

    @property
    def identified(self) -> bool:
        """An identifier (ISBN, ASIN, a provider's id) matched exactly."""
        part = self.part("identifier")
        return part is not None and part.value == 1.0

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.name == name), None)

    def explain(self) -> list[str]:
        """One line per reason, the ones that decide first: penalties, then parts by weight."""
        lines = [p.note for p in self.penalties]
        lines += [p.note for p in sorted(self.parts, key=lambda p: -p.weight)]
        return lines


@dataclass(frozen=True, slots=True)
class KnownBook:
    """What the library knows of a book when asking whether a candidate is it."""

    title: str = ""
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    identifiers: Mapping[str, str] = field(default_factory=dict)  # isbn, asin, openlibrary, ...
    series: tuple[SeriesRef, ...] = ()
    year: str | None = None
    language: str | None = None
    duration_seconds: float | None = None  # audiobooks: the length of the files

    @classmethod
    def from_query(cls, query: Query, *, series: tuple[SeriesRef, ...] = (),
                   duration_seconds: float | None = None) -> KnownBook:
        ids = {k: v for k, v in (("isbn", query.isbn), ("asin", query.asin)) if v}
        return cls(title=query.title, authors=tuple(query.authors), identifiers=ids, series=tuple(series),
                   year=query.year, language=query.language, duration_seconds=duration_seconds)

    @classmethod
    def from_work(cls, work: WorkDetail) -> KnownBook:
        per_format: dict[str, float] = {}
        for f in work.files:
            if f.duration_seconds:
                per_format[f.format] = per_format.get(f.format, 0.0) + f.duration_seconds
        # Parts of one audiobook add up; two formats of it are the same length, not twice it.
        duration = max(per_format.values()) if per_format else None
        authors = tuple(a for a in work.authors if a != UNKNOWN_AUTHOR)  # a placeholder is no evidence
        return cls(title=work.title, subtitle=work.subtitle, authors=authors,
                   identifiers=dict(work.identifiers), series=tuple(work.series), year=work.first_published,
                   language=work.language, duration_seconds=duration)


def normal_identifiers(identifiers: Mapping[str, str]) -> dict[str, str]:
    """Keys folded to one name per scheme ("isbn10" -> "isbn"), ISBN-10 made ISBN-13, ASINs upper-cased."""
    out: dict[str, str] = {}
    for key, value in identifiers.items():
        if not value:
            continue
        scheme = "isbn" if key.lower() in _ISBN_KEYS else key.lower()
        if scheme == "isbn":
            isbn = isbn13(value)
            if isbn:
                out.setdefault("isbn", isbn)
        elif scheme == "asin":
            out.setdefault("asin", value.strip().upper())
        else:
            out.setdefault(scheme, str(value).strip())
    return out


def isbn13(value: str) -> str | None:
    """ "0-553-29335-4" -> "9780553293357"; None when it is not an ISBN."""
    text = re.sub(r"[^0-9Xx]", "", value or "").upper()
    if len(text) == 13 and text.isdigit():
        return text
    if len(text) == 10 and text[:9].isdigit():
        body = "978" + text[:9]
        check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body)) % 10) % 10
        return body + str(check)
    return None


def _full_title(title: str, subtitle: str | None) -> str:
    if subtitle and fold(subtitle) not in fold(title):
        return f"{title}: {subtitle}"
    return title


def _identifier_part(known: Mapping[str, str], candidate: Mapping[str, str]) -> Part | None:
    ours, theirs = normal_identifiers(known), normal_identifiers(candidate)
    shared = [k for k in ours if k in theirs]
    for key in shared:
        if ours[key] == theirs[key]:
            return Part("identifier", WEIGHTS["identifier"], 1.0,
                        f"{_ID_LABELS.get(key, key)} matches exactly")
    for key in ("isbn", "asin"):
        if key in shared:
            return Part("identifier", IDENTIFIER_DIFFERS_WEIGHT, 0.0,
                        f"{_ID_LABELS[key]} differs (perhaps another edition)")
    return None


def _author_part(known: tuple[str, ...], candidate: list[str]) -> Part | None:
    if not known or not candidate:
        return None
    match = match_authors(list(known), candidate)
    notes = {m.note for _, _, m in match.pairs}
    plural = "authors" if len(match.pairs) > 1 else "author"
    if match.value >= 0.999 and notes <= {"exact"}:
        note = f"{plural} {'match' if len(match.pairs) > 1 else 'matches'}"
    elif match.value >= 0.999:
        note = f"{plural} {'match' if len(match.pairs) > 1 else 'matches'} ({', '.join(sorted(notes - {'exact'}))})"
    elif match.value >= 0.6:
        worst = min(match.pairs, key=lambda p: p[2].value)
        note = f"{plural} {round(match.value * 100)}% similar ({worst[2].note}: {worst[0]} vs {worst[1]})"
    else:
        note = f"{plural} {'differ' if len(match.pairs) > 1 else 'differs'}: {', '.join(known)} vs {', '.join(candidate)}"
    if match.unpaired:
        note += f"; {match.unpaired} more on one side"
    return Part("author", WEIGHTS["author"], match.value, note)


def _series_name(name: str) -> str:
    return " ".join(w for w in re.sub(r"[^\w]+", " ", fold(name)).split() if w not in _SERIES_NOISE)


def _series_part(known: tuple[SeriesRef, ...], candidate: list[SeriesRef]) -> Part | None:
    if not known or not candidate:
        return None
    best: tuple[float, SeriesRef, SeriesRef] | None = None
    for ours in known:
        for theirs in candidate:
            a, b = _series_name(ours.name) or fold(ours.name), _series_name(theirs.name) or fold(theirs.name)
            similar = 1.0 if a == b else _ratio(a, b)
            if best is None or similar > best[0]:
                best = (similar, ours, theirs)
    assert best is not None
    similar, ours, theirs = best
    if similar < 0.85:
        return Part("series", WEIGHTS["series"], 0.4, f"series differs: {ours.name} vs {theirs.name}")
    a, b = position_of(ours.label, ours.sort_key), position_of(theirs.label, theirs.sort_key)
    if a.start is None or b.start is None:
        return Part("series", WEIGHTS["series"], 0.8, f"series {theirs.name} matches (position unknown)")
    if (a.start, a.end) == (b.start, b.end):
        return Part("series", WEIGHTS["series"], 1.0, f"series position {theirs.label} matches")
    return Part("series", WEIGHTS["series"], 0.0, f"series position {ours.label} vs {theirs.label}")


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def _year(text: str | None) -> int | None:
    found = _YEAR.search(text or "")
    return int(found.group(1)) if found else None


def _year_part(known: str | None, candidate: str | None, released: str | None = None) -> Part | None:
    """Our year against the book's first publication; a file's year may also be the release of the
    edition in hand (an audiobook tagged 2015 of a 1997 novel), which agrees just as well. An
    edition's other year says nothing against the book."""
    ours, theirs = _year(known), _year(candidate)
    if ours is not None and ours == _year(released) and ours != theirs:
        return Part("year", WEIGHTS["year"], 1.0, f"year {ours} matches this edition's")
    if ours is None or theirs is None:
        return None
    gap = abs(ours - theirs)
    if gap == 0:
        return Part("year", WEIGHTS["year"], 1.0, f"year {ours} matches")
    if gap == 1:
        return Part("year", WEIGHTS["year"], 0.8, f"year {ours} vs {theirs}")
    if ours > theirs:  # our copy is a later printing of an older book
        return Part("year", WEIGHTS["year"], 0.5, f"year {ours} vs {theirs} (perhaps a later edition)")
    return Part("year", WEIGHTS["year"], 0.4 if gap <= 3 else 0.0, f"year {ours} vs {theirs}")


def format_duration(seconds: float) -> str:
    """ "9h12", or "45 min" under an hour."""
    minutes = round(seconds / 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"


def _duration_part(known: float | None, candidate: float | None) -> Part | None:
    if not known or not candidate or known <= 0 or candidate <= 0:
        return None
    off = abs(known - candidate) / max(known, candidate)
    if off <= 0.03:
        value = 1.0
    elif off <= 0.10:  # 97% -> 90% alike: fading to a half
        value = 1.0 - 0.5 * (off - 0.03) / 0.07
    elif off <= 0.25:  # abridged, or another recording
        value = 0.5 - 0.5 * (off - 0.10) / 0.15
    else:
        value = 0.0
    note = f"duration {format_duration(known)} vs {format_duration(candidate)}"
    if off > 0.10:
        note += f" ({round(off * 100)}% off)"
    return Part("duration", WEIGHTS["duration"], round(value, 4), note)


def _language(code: str | None) -> str | None:
    text = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return _LANGUAGES.get(text, text) or None


def _language_part(known: str | None, candidate: str | None) -> Part | None:
    ours, theirs = _language(known), _language(candidate)
    if not ours or not theirs:
        return None
    if ours == theirs:
        return Part("language", WEIGHTS["language"], 1.0, f"language {ours} matches")
    return Part("language", WEIGHTS["language"], 0.0, f"language {ours} vs {theirs}")


def _penalties(known: KnownBook, candidate: Candidate) -> tuple[Penalty, ...]:
    penalties: list[Penalty] = []
    makers = [*candidate.authors, candidate.publisher or ""]
    kind = companion_kind(candidate.title, candidate.subtitle, makers)
    if (candidate.is_companion or kind) and not companion_kind(known.title, known.subtitle):
        penalties.append(Penalty("companion", COMPANION_FACTOR,
                                 f"a companion work ({kind or 'flagged by the provider'}), not the book itself"))
    theirs = candidate.is_compilation or is_omnibus(candidate.title, candidate.subtitle)
    ours = is_omnibus(known.title, known.subtitle)
    if theirs and not ours:
        penalties.append(Penalty("omnibus", OMNIBUS_FACTOR, "an omnibus of several books, not this single book"))
    elif ours and not theirs:
        penalties.append(Penalty("omnibus", OMNIBUS_FACTOR, "a single book, but ours is an omnibus"))
    return tuple(penalties)


def score_candidate(known: KnownBook | Query | WorkDetail, candidate: Candidate) -> Score:
    """Every piece of evidence for and against ``candidate`` being the book ``known`` describes."""
    if isinstance(known, Query):
        known = KnownBook.from_query(known)
    elif isinstance(known, WorkDetail):
        known = KnownBook.from_work(known)
    parts: list[Part] = []
    # The provider's own id counts too: a work identified before keeps it ("openlibrary": "OL59761W").
    theirs = {candidate.provider: candidate.provider_id, **candidate.identifiers} if candidate.provider_id else candidate.identifiers
    identifier = _identifier_part(known.identifiers, theirs)
    if identifier:
        parts.append(identifier)
    if known.title and candidate.title:
        title = compare_titles(_full_title(known.title, known.subtitle),
                               _full_title(candidate.title, candidate.subtitle))
        parts.append(Part("title", WEIGHTS["title"], title.value, title.note))
    for part in (
        _author_part(known.authors, candidate.authors),
        _series_part(known.series, candidate.series),
        _duration_part(known.duration_seconds, candidate.duration_seconds),
        _year_part(known.year, candidate.published, candidate.released),
        _language_part(known.language, candidate.language),
    ):
        if part:
            parts.append(part)
    return Score(tuple(parts), _penalties(known, candidate))
