"""One record from several providers' candidates for the same book, field by field.

Each field comes from the first provider in the user's order that has a value for it, except
where one provider is known to be better at it (series from Hardcover and Audnexus, narrators
and duration from Audnexus) and where a more complete value is plainly better (a series with
its position over one without). Identifiers are the union, a conflict settled by order, except
that the edition in hand wins: an audiobook takes the ISBN of its recording (from an audiobook
provider) over an ebook's, an ebook the other way round. The provider behind every field is kept,
so the review dialog and the History tab can say it.

Dates: ``first_published`` is the earliest first publication any provider gives (work-level dates:
Open Library's first_publish_year, Hardcover's release, Audnexus's copyright year), compared to the
day. An edition's or recording's own release date (``released``) is kept apart, from a provider of
the same kind of edition as the one in hand, and never becomes the first publication.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from bookdesk.core.candidate_scoring.score import normal_identifiers
from bookdesk.core.candidate_scoring.titles import title_key
from bookdesk.core.providers.base import Candidate
from bookdesk.vocabulary.people import display_name
from bookdesk.vocabulary.titles import strip_series_marker

# Providers that are better at a field than the user's order says, best first.
FIELD_PREFERENCE: dict[str, tuple[str, ...]] = {
    "series": ("hardcover", "audnexus"),
    "narrators": ("audnexus",),
    "duration_seconds": ("audnexus",),
}
# Providers whose records are audiobooks: their ISBN and release date are a recording's.
AUDIO_PROVIDERS = frozenset({"audnexus"})
T = TypeVar("T")
FIELDS = ("title", "subtitle", "authors", "narrators", "series", "identifiers", "description", "language",
          "publisher", "first_published", "released", "cover_url", "duration_seconds")


@dataclass(slots=True)
class MergedRecord:
    """The values proposed for a book, and which provider each came from."""

    title: str = ""
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    narrators: list[str] = field(default_factory=list)
    series: list[dict[str, str]] = field(default_factory=list)  # [{"name": "Earthsea Cycle", "label": "1"}]
    identifiers: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    language: str | None = None
    publisher: str | None = None
    first_published: str | None = None  # when the book first came out
    released: str | None = None  # when the edition in hand (this ebook, this recording) came out
    cover_url: str | None = None
    duration_seconds: float | None = None
    sources: dict[str, str] = field(default_factory=dict)  # field -> provider; "identifiers" -> "hardcover+audnexus"
    identifier_sources: dict[str, str] = field(default_factory=dict)  # "isbn" -> "hardcover"

    def as_dict(self) -> dict[str, object]:
        """The proposed values by field name, without the sources."""
        return {name: getattr(self, name) for name in FIELDS}


def _ranked(candidates: list[Candidate], order: list[str], field_name: str) -> list[Candidate]:
    preferred = FIELD_PREFERENCE.get(field_name, ())
    rank = {name: i for i, name in enumerate(order)}

    def key(item: tuple[int, Candidate]) -> tuple[int, int, int]:
        position, candidate = item
        boost = preferred.index(candidate.provider) if candidate.provider in preferred else len(preferred)
        return boost, rank.get(candidate.provider, len(order)), position

    return [c for _, c in sorted(enumerate(candidates), key=key)]


def _first(candidates: Iterable[Candidate], value: Callable[[Candidate], T | None]) -> tuple[T | None, str | None]:
    for candidate in candidates:
        found = value(candidate)
        if found not in (None, "", [], {}):
            return found, candidate.provider
    return None, None


def _people(candidate: Candidate, role: str) -> list[str]:
    """Names as people write them ("Ursula K. Le Guin"), whichever way the provider sorted them."""
    return list(dict.fromkeys(display_name(c.name) for c in candidate.contributors if c.role == role and c.name.strip()))


def _series(candidate: Candidate) -> list[dict[str, str]]:
    return [{"name": s.name, "label": s.label or ""} for s in candidate.series if s.name]


def _date_key(text: str | None) -> tuple[int, int, int, int] | None:
    """ "1997-06-26" -> (1997, 0, 6, 26); a bare "1997" -> (1997, 1, 0, 0): within a year a full date
    goes first (it is the more precise), and two full dates by the day."""
    parts = (text or "").split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    numbers = [int(p) if p.isdigit() else 0 for p in parts[1:3]]
    month, day = (numbers + [0, 0])[:2]
    return int(parts[0]), 0 if month else 1, month, day


def _same_edition_first(candidates: list[Candidate], audiobook: bool) -> list[Candidate]:
    """``candidates`` (already in order) with those of the kind of edition in hand first."""
    return sorted(candidates, key=lambda c: (c.provider in AUDIO_PROVIDERS) != audiobook)


def merge(candidates: list[Candidate], order: list[str], *, audiobook: bool = False) -> MergedRecord:
    """Merge candidates that describe one book; ``order`` is the user's provider preference, best first;
    ``audiobook`` says which kind of edition the book in hand is."""
    record = MergedRecord()
    if not candidates:
        return record

    def take(name: str, value: Callable[[Candidate], T | None]) -> T | None:
        found, source = _first(_ranked(candidates, order, name), value)
        if source:
            record.sources[name] = source
        return found

    record.title = take("title", lambda c: strip_series_marker(c.title)) or ""
    # The subtitle must belong to the chosen title: Google's "A Novel" for Open Library's title is fine,
    # a subtitle that came with another title is not.
    chosen = title_key(record.title).main
    record.subtitle = take("subtitle", lambda c: c.subtitle if title_key(c.title).main == chosen else None)
    record.authors = take("authors", lambda c: _people(c, "author")) or []
    record.narrators = take("narrators", lambda c: _people(c, "narrator")) or []
    # A series with its position is more complete than the same series without.
    record.series = (take("series", lambda c: _series(c) if any(s.label for s in c.series) else None)
                     or take("series", _series) or [])
    record.description = take("description", lambda c: (c.description or "").strip() or None)
    record.language = take("language", lambda c: c.language)
    record.publisher = take("publisher", lambda c: c.publisher)
    record.cover_url = take("cover_url", lambda c: c.cover_url)
    record.duration_seconds = take("duration_seconds", lambda c: c.duration_seconds)
    # First published is the earliest first publication anyone gives (min keeps the first in order on a tie).
    dated = [c for c in _ranked(candidates, order, "first_published") if _date_key(c.published)]
    if dated:
        earliest = min(dated, key=lambda c: _date_key(c.published))  # type: ignore[arg-type,return-value]
        record.first_published = earliest.published
        record.sources["first_published"] = earliest.provider
    # An edition's release date only from a provider of that kind of edition: Google's ebook date says
    # nothing of when the audiobook came out.
    same_kind = [c for c in _ranked(candidates, order, "released") if (c.provider in AUDIO_PROVIDERS) == audiobook]
    record.released, source = _first(same_kind, lambda c: c.released)
    if source:
        record.sources["released"] = source
    _merge_identifiers(record, _same_edition_first(_ranked(candidates, order, "identifiers"), audiobook))
    return record


def _merge_identifiers(record: MergedRecord, ranked: list[Candidate]) -> None:
    contributors: list[str] = []
    for candidate in ranked:
        for key, value in candidate.identifiers.items():
            if not value:
                continue
            normal = normal_identifiers({key: value})
            if not normal:
                continue  # "isbn": "unknown"
            scheme, clean = next(iter(normal.items()))
            if scheme in record.identifiers:
                continue  # a conflict: the provider earlier in the order already said
            record.identifiers[scheme] = clean
            record.identifier_sources[scheme] = candidate.provider
            if candidate.provider not in contributors:
                contributors.append(candidate.provider)
    if contributors:
        record.sources["identifiers"] = "+".join(contributors)
