"""One record from several providers' candidates for the same book, field by field.

Each field comes from the first provider in the user's order that has a value for it, except
where one provider is known to be better at it (series from Hardcover and Audnexus, narrators
and duration from Audnexus) and where a more complete value is plainly better (a series with
its position over one without). Identifiers are the union, a conflict settled by order. The
provider behind every field is kept, so the review dialog and the History tab can say it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from bookdesk.core.matching.names import display_name
from bookdesk.core.matching.score import normal_identifiers
from bookdesk.core.matching.titles import strip_series_marker, title_key
from bookdesk.core.providers.base import Candidate

# Providers that are better at a field than the user's order says, best first.
FIELD_PREFERENCE: dict[str, tuple[str, ...]] = {
    "series": ("hardcover", "audnexus"),
    "narrators": ("audnexus",),
    "duration_seconds": ("audnexus",),
}
T = TypeVar("T")
FIELDS = ("title", "subtitle", "authors", "narrators", "series", "identifiers", "description", "language",
          "publisher", "first_published", "cover_url", "duration_seconds")


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
    first_published: str | None = None
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


def _year(candidate: Candidate) -> tuple[int, int]:
    text = (candidate.published or "")[:4]
    return (int(text), -len(candidate.published or "")) if text.isdigit() else (10_000, 0)


def merge(candidates: list[Candidate], order: list[str]) -> MergedRecord:
    """Merge candidates that describe one book; ``order`` is the user's provider preference, best first."""
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
    # First published is the earliest date anyone gives; a full date wins a tie with a bare year.
    dated = [c for c in _ranked(candidates, order, "first_published") if _year(c)[0] < 10_000]
    if dated:
        earliest = min(dated, key=_year)
        record.first_published = earliest.published
        record.sources["first_published"] = earliest.provider
    _merge_identifiers(record, _ranked(candidates, order, "identifiers"))
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
