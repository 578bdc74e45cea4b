"""What the series service hands the Series, Authors and Wanted views and the CLI: plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from bookdesk.core.series.gaps import COMPLETE, INCOMPLETE, PARTIAL, KindGaps


class KindFigures(NamedTuple):
    """Owned and missing counts for one media kind (or any), with the completion they make."""

    owned: int
    missing: int
    completion: float  # percent
    status: str  # complete | partial | incomplete (see gaps.py)

    @classmethod
    def of(cls, gaps: KindGaps) -> KindFigures:
        return cls(gaps.owned_count, len(gaps.missing_positions), gaps.completion, gaps.status)

    @classmethod
    def counted(cls, owned: int, missing: int) -> KindFigures:
        """For an author: owned books against owned plus missing ones."""
        return counted_figures(owned, missing)


@lru_cache(maxsize=16_384)
def counted_figures(owned: int, missing: int) -> KindFigures:
    """``KindFigures.counted``, remembered: 20,000 authors have a few hundred pairs of counts between them,
    and working each out again (a division, a round, a tuple) was most of the Authors view's Python on the
    worker, time the GUI thread waited for the GIL (bench/ui_stalls.py, identify). The figures are immutable."""
    completion = 100.0 if not owned + missing else round(100.0 * owned / (owned + missing), 1)
    status = COMPLETE if not missing else PARTIAL if owned else INCOMPLETE
    return KindFigures(owned, missing, completion, status)


@dataclass(slots=True)
class SeriesOverview:
    """One row of the Series view."""

    id: int
    name: str
    authors: str  # as the library list shows the authors of most of its books
    monitored: bool
    ignored: bool
    total: int | None  # the providers' count of primary books; None when no provider knows it
    overall: KindFigures
    ebook: KindFigures
    audiobook: KindFigures
    sources: tuple[str, ...]
    flagged: bool  # the data has something odd worth a look (see SeriesGaps.flags)

    @property
    def missing(self) -> int:
        return self.overall.missing

    @property
    def has_gaps(self) -> bool:
        return self.overall.missing > 0

    @property
    def completion(self) -> float:
        return self.overall.completion

    @property
    def status(self) -> str:
        return self.overall.status

    def kind(self, media_kind: str | None) -> KindFigures:
        return {None: self.overall, "any": self.overall, "ebook": self.ebook, "audiobook": self.audiobook}[media_kind]


@dataclass(frozen=True, slots=True)
class SeriesEntryView:
    """One line of a series' detail: a book the library has, or a ghost for a missing one."""

    label: str  # "3", "1-3", "Prequel"
    position: float | None
    state: str  # owned | wanted | ignored | missing | upcoming
    work_id: int | None  # None for a ghost
    title: str | None
    authors: str
    media_kinds: tuple[str, ...]  # the kinds owned (files)
    missing_kinds: tuple[str, ...]  # the kinds still missing at this position
    release_date: date | None
    cover_path: str | None  # relative to the library folder
    cover_url: str | None
    sources: tuple[str, ...]  # providers that list the position


@dataclass(frozen=True, slots=True)
class WantedBook:
    id: int
    title: str
    authors: str
    series: tuple[tuple[str, str], ...]  # (name, label)
    media_kinds: tuple[str, ...]  # empty: any media kind
    status: str  # wanted; or owned, when another media kind of an owned book is wanted
    release_date: date | None
    cover_url: str | None


@dataclass(slots=True)
class AuthorOverview:
    """One row of the Authors view. Missing books are those of the series the author writes (see authors.py)."""

    id: int
    name: str
    sort_name: str
    aliases: tuple[str, ...]
    monitored: bool
    overall: KindFigures
    ebook: KindFigures
    audiobook: KindFigures
    wanted: int
    series: int  # series where the author is credited on most books

    def kind(self, media_kind: str | None) -> KindFigures:
        return {None: self.overall, "any": self.overall, "ebook": self.ebook, "audiobook": self.audiobook}[media_kind]


# The media kind a check's history rows carry for an attempt that reached no provider (not a check).
OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class SeriesCheck:
    """One check of a series against the providers, as its history shows it: what was owned and
    missing then, per media kind (owned, missing), and what the providers said the total was."""

    checked_at: datetime
    sources: tuple[str, ...]
    total: int | None
    overall: tuple[int, int]
    ebook: tuple[int, int]
    audiobook: tuple[int, int]
    offline: bool = False  # an attempt that reached no provider (``sources`` are those it tried)
