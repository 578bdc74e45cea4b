"""Which release of a wanted book to grab, and why: a score 0..1 made of named parts.

Like an identification score (``core/candidate_scoring/score.py``), a release's score is a weighted mean
of parts a person can read (title, author, format, size, seeders, age) times penalties for what
makes a release not worth having whatever else agrees: another book, the wrong media kind, a
size no such book has, a torrent nobody seeds. Releases on the blocklist are never ranked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bookdesk.core.acquisition.release_names import (
    AUDIOBOOK,
    EBOOK,
    detect_format,
    media_kind_of,
    name_words,
    title_candidates,
)
from bookdesk.core.acquisition.torznab import Release
from bookdesk.core.candidate_scoring.names import parse_name
from bookdesk.core.candidate_scoring.score import Part, Penalty, Score
from bookdesk.core.candidate_scoring.titles import companion_kind, is_omnibus, title_similarity

WEIGHTS = {"title": 4.0, "author": 2.0, "format": 2.0, "seeders": 1.5, "size": 1.0, "age": 0.5}
NOT_THIS_BOOK = 0.6  # below this title similarity the release is about another book
WRONG_KIND_FACTOR = 0.1
NOT_THIS_BOOK_FACTOR = 0.3
SUSPECT_SIZE_FACTOR = 0.3
NO_SEEDERS_FACTOR = 0.2
COMPANION_FACTOR = 0.25
OMNIBUS_FACTOR = 0.5
AUTHOR_NOT_NAMED = 0.5  # most release names carry the author; one without is neither for nor against much


@dataclass(frozen=True, slots=True)
class SizeRange:
    """Sizes a book of one media kind has: outside ``suspect_below``..``suspect_above`` it is not one;
    inside ``usual_low``..``usual_high`` nothing is odd."""

    suspect_below: int
    usual_low: int
    usual_high: int
    suspect_above: int


KB, MB, GB = 1024, 1024 ** 2, 1024 ** 3
SIZES = {
    EBOOK: SizeRange(suspect_below=10 * KB, usual_low=100 * KB, usual_high=100 * MB, suspect_above=1 * GB),
    AUDIOBOOK: SizeRange(suspect_below=1 * MB, usual_low=20 * MB, usual_high=3 * GB, suspect_above=20 * GB),
}


@dataclass(frozen=True, slots=True)
class QualityProfile:
    """What the user prefers, best first."""

    ebook_formats: tuple[str, ...] = ("epub", "azw3", "pdf")
    audiobook_formats: tuple[str, ...] = ("m4b", "mp3")
    sizes: dict[str, SizeRange] = field(default_factory=lambda: dict(SIZES))

    def formats(self, media_kind: str) -> tuple[str, ...]:
        return self.audiobook_formats if media_kind == AUDIOBOOK else self.ebook_formats


@dataclass(frozen=True, slots=True)
class WantedWork:
    """A book to find: what a release is compared with. ``media_kind`` None: either kind will do."""

    work_id: int
    title: str
    authors: tuple[str, ...] = ()
    media_kind: str | None = None
    duration_seconds: float | None = None  # of the audiobook, when a provider said


@dataclass(frozen=True, slots=True)
class RankedRelease:
    release: Release
    media_kind: str | None  # as the release's name and category say
    format: str | None
    score: Score

    @property
    def total(self) -> float:
        return self.score.total

    def explain(self) -> list[str]:
        return self.score.explain()

    def parts(self) -> dict[str, float]:
        """Each named part's value and each penalty's factor, for a table in the UI or a JSON document."""
        found = {p.name: round(p.value, 3) for p in self.score.parts}
        found.update({f"penalty:{p.name}": p.factor for p in self.score.penalties})
        return found


class BlockedReleases:
    """The releases that failed before, as ranking asks about them: by indexer and guid, by info hash,
    and by title for the same work (an aggregator lists one release under several indexers)."""

    def __init__(self, keys: Iterable[tuple[str | None, str | None]] = (), titles: Iterable[str] = (),
                 hashes: Iterable[str] = ()) -> None:
        self.keys = {(i or "", g) for i, g in keys if g}
        self.titles = {" ".join(name_words(t)) for t in titles if t}
        self.hashes = {h.lower() for h in hashes if h}

    def __contains__(self, release: Release) -> bool:
        return ((release.indexer, release.guid) in self.keys
                or bool(release.info_hash and release.info_hash.lower() in self.hashes)
                or " ".join(name_words(release.title)) in self.titles)


@dataclass(frozen=True, slots=True)
class Ranking:
    releases: list[RankedRelease]  # best first
    blocked: list[Release]  # on the blocklist: not ranked

    def best(self, threshold: float = 0.0) -> RankedRelease | None:
        return next((r for r in self.releases if r.total >= threshold), None)


def rank(releases: Iterable[Release], wanted: WantedWork, profile: QualityProfile | None = None, *,
         blocked: BlockedReleases | None = None, now: datetime | None = None) -> Ranking:
    """Every release scored against ``wanted``, best first; blocked ones set aside."""
    profile = profile or QualityProfile()
    now = now or datetime.now(UTC).replace(tzinfo=None)
    blocked = blocked or BlockedReleases()
    ranked, set_aside = [], []
    for release in releases:
        if release in blocked:
            set_aside.append(release)
        else:
            ranked.append(score_release(release, wanted, profile, now))
    ranked.sort(key=lambda r: (-r.total, -(r.release.seeders or 0), r.release.title))
    return Ranking(ranked, set_aside)


def score_release(release: Release, wanted: WantedWork, profile: QualityProfile, now: datetime) -> RankedRelease:
    fmt = detect_format(release.title)
    kind = media_kind_of(release.title, release.categories, fmt)
    judged_kind = wanted.media_kind or kind or EBOOK
    parts: list[Part] = []
    penalties: list[Penalty] = []
    author_words = {w for name in wanted.authors for w in parse_name(name).words}

    title = _title_part(release, wanted, author_words)
    parts.append(title)
    if title.value < NOT_THIS_BOOK:
        penalties.append(Penalty("other_book", NOT_THIS_BOOK_FACTOR, "the name points to another book"))
    parts.append(_author_part(release, wanted))
    parts.append(_format_part(fmt, judged_kind, profile))
    if wanted.media_kind and kind and kind != wanted.media_kind:
        penalties.append(Penalty("media_kind", WRONG_KIND_FACTOR, f"an {kind}, but an {wanted.media_kind} is wanted"))

    size = _size_part(release.size, judged_kind, profile)
    if size is not None:
        parts.append(size)
        if size.value == 0.0:
            penalties.append(Penalty("size", SUSPECT_SIZE_FACTOR, f"{_size_text(release.size)} is no {judged_kind}"))
    if release.protocol == "torrent":
        seeders = _seeders_part(release.seeders)
        if seeders is not None:
            parts.append(seeders)
            if release.seeders == 0:
                penalties.append(Penalty("no_seeders", NO_SEEDERS_FACTOR, "nobody seeds it: it would never finish"))
    age = _age_part(release.published, now)
    if age is not None:
        parts.append(age)

    wanted_omnibus = is_omnibus(wanted.title)
    if companion_kind(release.title) and not companion_kind(wanted.title):
        penalties.append(Penalty("companion", COMPANION_FACTOR, f"a {companion_kind(release.title)}, not the book"))
    elif is_omnibus(release.title) != wanted_omnibus:
        penalties.append(Penalty("omnibus", OMNIBUS_FACTOR,
                                 "a collection, not the single book" if not wanted_omnibus else "a single book"))
    return RankedRelease(release, kind, fmt, Score(tuple(parts), tuple(penalties)))


def _title_part(release: Release, wanted: WantedWork, author_words: set[str]) -> Part:
    named = release.attrs.get("booktitle") or release.attrs.get("title")
    candidates = ([named] if named else []) + title_candidates(release.title, author_words)
    best = max((title_similarity(wanted.title, c) for c in candidates), default=0.0)
    note = "title matches" if best >= 0.99 else f"title {best:.0%} similar"
    return Part("title", WEIGHTS["title"], best, note)


def _author_part(release: Release, wanted: WantedWork) -> Part:
    if not wanted.authors:
        return Part("author", 0.0, 0.0, "no author to compare")
    words = set(name_words(release.title + " " + release.attrs.get("author", "")))
    best, note = 0.0, ""
    for author in wanted.authors:
        person = parse_name(author)
        surname = set(person.surname.split())
        if not surname or not surname <= words:
            continue
        given = {g for g in person.given if len(g) > 1}
        if given and given <= words:
            best, note = 1.0, f"names {author}"
        elif best < 0.85:
            best, note = 0.85, f"names {author} by surname"
    if best == 0.0:
        return Part("author", WEIGHTS["author"], AUTHOR_NOT_NAMED, "author not named")
    return Part("author", WEIGHTS["author"], best, note)


def _format_part(fmt: str | None, media_kind: str, profile: QualityProfile) -> Part:
    preferred = profile.formats(media_kind)
    if fmt is None:
        return Part("format", WEIGHTS["format"], 0.4, "format not named")
    if fmt in preferred:
        rank_ = preferred.index(fmt)
        value = (1.0, 0.7, 0.5)[rank_] if rank_ < 3 else 0.4
        return Part("format", WEIGHTS["format"], value, f"{fmt.upper()}, choice {rank_ + 1} of {len(preferred)}")
    return Part("format", WEIGHTS["format"], 0.25, f"{fmt.upper()}, not a preferred format")


def _size_text(size: int | None) -> str:
    if size is None:
        return "an unknown size"
    for unit, scale in (("GB", GB), ("MB", MB), ("KB", KB)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _size_part(size: int | None, media_kind: str, profile: QualityProfile) -> Part | None:
    if size is None or size <= 0:
        return None
    limits = profile.sizes[media_kind]
    if size < limits.suspect_below or size > limits.suspect_above:
        value = 0.0
    elif size < limits.usual_low:
        value = 0.5 + 0.5 * (size - limits.suspect_below) / (limits.usual_low - limits.suspect_below)
    elif size > limits.usual_high:
        value = 0.5 + 0.5 * (limits.suspect_above - size) / (limits.suspect_above - limits.usual_high)
    else:
        value = 1.0
    note = "usual size" if value == 1.0 else ("suspect size" if value == 0.0 else "unusual size")
    return Part("size", WEIGHTS["size"], round(value, 3), f"{_size_text(size)}: {note}")


def _seeders_part(seeders: int | None) -> Part | None:
    if seeders is None:
        return None
    value = 0.0 if seeders <= 0 else 0.4 if seeders == 1 else 0.6 if seeders < 5 else 0.8 if seeders < 20 else 1.0
    return Part("seeders", WEIGHTS["seeders"], value, f"{seeders} seeder{'s' if seeders != 1 else ''}")


def _age_part(published: datetime | None, now: datetime) -> Part | None:
    if published is None:
        return None
    days = max(0.0, (now - published).total_seconds() / 86400)
    # Newer releases are healthier (trackers, usenet retention); ten years old still counts for half.
    value = 1.0 if days <= 365 else max(0.5, 1.0 - 0.5 * (days - 365) / (9 * 365))
    return Part("age", WEIGHTS["age"], round(value, 3),
                f"{days / 365:.1f} years old" if days >= 365 else f"{int(days)} days old")
