"""The rules of series gaps: what is owned, what is missing, per media kind, and who says so.

Pure and fast: no catalog, no clock (today comes in the policy), no I/O. The service feeds
it the library's entries of a series as plain tuples (``LibraryEntry``'s fields) and the providers' listings.
What it answers (SeriesGaps, KindGaps, MissingBook) is in ``gap_results``.

Definitions (the Series view, the CLI and the author figures all use these):

- A *position* is a number in a series; whole numbers are books, fractional ones (2.5) are
  novellas. "Prequel" and other labels without a number are owned but are not positions.
  An omnibus "1-3" covers 1, 2 and 3. Two copies of one position count once.
- A work *covers* a position for a media kind (ebook, audiobook) when it has a file of that
  kind; for ``any`` kind when it has any file or its status is "owned" (owned in print). A
  work with status "ignored" and no file marks its positions as not wanted.
- *Required* positions: every whole number from 1 to the highest position a work of the
  series names, rounded down (owned, wanted or ignored: each says the book exists; a novella
  2.5 says books 1 and 2 exist, so a series of which only 2.5 is owned lacks 1 and 2); the positions of
  wanted works; and what providers list: whole positions that are not compilations or
  editions of another position, in the user's language (or of unknown language), plus a
  whole position a listing skips. Fractional positions only when the policy asks for
  novellas. Minus ignored positions and *upcoming* ones (known only with a release date
  after today, from a listing or a wanted work's expected date).
- *Missing* (per kind): required positions not covered in that kind.
- *Completion*: covered required positions / required positions, in percent (100 when
  nothing is required).
- *Status* per kind: ``complete`` when nothing is missing; ``partial`` when something is
  missing and something of the series is owned in that kind; ``incomplete`` when something
  is missing and nothing is owned in that kind.
- *Total*: the providers' count of primary books (the largest when they disagree, which is
  flagged). A listing without a count is *partial* (Audnexus lists only the books it is asked
  about): its books are required, but it counts nothing and never shows a series complete. None
  when no listing has a count.

Odd input (two books at one position, "Book 2, Dramatized Adaptation", a skipped position, a
renamed series, positions that look like years) is normalised where it can be and flagged
where it cannot; nothing here raises on bad data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date

from bookdesk.core.series.gap_results import (
    ANY,
    AUDIOBOOK,
    COMPLETE,
    EBOOK,
    INCOMPLETE,
    KIND_BITS,
    MEDIA_KINDS,
    PARTIAL,
    PLAIN_SHELF,
    POSITION_LABELS,
    KindGaps,
    MissingBook,
    SeriesGaps,
    Shelf,
    SourceReport,
)
from bookdesk.core.series.listing import SeriesListing, parse_date
from bookdesk.core.series.merge import ListedPosition, MergedListings, merge_listings
from bookdesk.core.series.policy import DEFAULT_POLICY, Flag, GapPolicy
from bookdesk.data.library_entry import LibraryEntry
from bookdesk.vocabulary.positions import format_number, is_prequel, position_of

__all__ = ["ANY", "AUDIOBOOK", "COMPLETE", "EBOOK", "INCOMPLETE", "KIND_BITS", "MEDIA_KINDS", "PARTIAL", "Flag",
           "GapPolicy", "KindGaps", "LibraryEntry", "MissingBook", "SeriesGaps", "SourceReport", "entry_positions",
           "series_gaps"]

# A series numbered past this with few books numbered is numbered by year or by id, not by book.
_MAX_FILL = 100
_MAX_SPAN = 100
_INF = math.inf
_NONE_UNNUMBERED = (0, 0, 0)
_RANGES = [frozenset(float(n) for n in range(1, top + 1)) for top in range(_MAX_FILL + 1)]


def series_gaps(series_id: int, name: str, entries: Iterable[Sequence], listings: Sequence[SeriesListing] = (),
                policy: GapPolicy | None = None, *, monitored: bool = False, ignored: bool = False) -> SeriesGaps:
    """Owned, missing and upcoming books of one series, per media kind, with sources and flags.

    ``entries`` are ``LibraryEntry`` tuples (any tuple in that field order); ``listings``
    are in order of preference (the first source's titles win). This runs for every series
    of a library in one go, so the loop over entries is plain, with a fast path for the
    usual entry (one numbered position).
    """
    policy = policy or DEFAULT_POLICY
    flags: list[Flag] = []
    (cov_any, cov_ebook, cov_audio, lab_any, lab_ebook, lab_audio, unnumbered, known, ignored_at, wanted, later,
     today) = _read_entries(entries, policy, flags)
    un_counts = _count_unnumbered(unnumbered, lab_any, lab_ebook, lab_audio) if unnumbered else _NONE_UNNUMBERED
    required = _library_positions(known, flags) if known else set()
    library_top = int(max(required)) if required else 0
    library_have = len(required & cov_any) if required else 0
    if wanted:
        required.update(p for p in wanted if p not in later)
    listed: dict[float, ListedPosition] = {}
    reports: tuple[SourceReport, ...] = ()
    total = None
    if listings:
        merged = merge_listings(name, listings, policy, today or policy.day(), flags)
        listed, total = merged.positions, merged.total
        reports = _add_listed(merged, required, later, ignored_at, cov_any, library_top, flags)
    if ignored_at:
        required -= ignored_at
    upcoming: tuple[MissingBook, ...] = ()
    # Most series have no listing and nothing wanted: their missing books say nothing but the position,
    # so one shelf serves them all (fewer objects for the collector to walk on a big library).
    shelf = Shelf(listed, wanted) if listed or wanted else PLAIN_SHELF
    if later:
        upcoming = tuple(shelf.book(p) for p in sorted(later - required - ignored_at - cov_any))
    if listed:
        shelf.keep(required - (cov_ebook & cov_audio))
    return SeriesGaps(
        series_id, name, monitored, ignored, total, tuple(r.source for r in reports),
        _kind_gaps(ANY, required, cov_any, un_counts[0], lab_any, shelf),
        _kind_gaps(EBOOK, required, cov_ebook, un_counts[1], lab_ebook, shelf),
        _kind_gaps(AUDIOBOOK, required, cov_audio, un_counts[2], lab_audio, shelf),
        upcoming, tuple(format_number(p) for p in sorted(ignored_at)) if ignored_at else (),
        reports, tuple(flags), library_top, library_have, len(known))


def _read_entries(entries: Iterable[Sequence], policy: GapPolicy, flags: list[Flag]) -> tuple:
    """One pass over a series' entries. Returns, in this order: the positions covered in any kind, as
    ebooks and as audiobooks; the labels owned in each of those (label -> order); the books with no
    position (label, kinds bits with 4 for "any", order); the positions known, ignored, wanted (position ->
    work) and not out yet; and today when an entry needed it. A plain tuple of locals: this runs for every
    series of a library, and an object with a dozen attributes made and read per series costs more."""
    cov_any: set[float] = set()
    cov_ebook: set[float] = set()
    cov_audio: set[float] = set()
    lab_any: dict[str, float] = {}
    lab_ebook: dict[str, float] = {}
    lab_audio: dict[str, float] = {}
    unnumbered: list[tuple[str, int, float]] = []
    known: set[float] = set()
    ignored_at: set[float] = set()
    wanted: dict[float, int] = {}
    later: set[float] = set()
    today: date | None = None
    labels = POSITION_LABELS
    for work_id, label, key, end, status, kinds, wanted_kinds, published, _authors, _series, _e, _w in entries:
        if key is not None and end is None and 0 <= key < _INF and "-" not in label:
            label = labels.get(key) or format_number(key)
            if status == "owned" and not wanted_kinds:  # the usual entry, kept short
                known.add(key)
                cov_any.add(key)
                lab_any[label] = key
                if kinds & 1:
                    cov_ebook.add(key)
                    lab_ebook[label] = key
                if kinds & 2:
                    cov_audio.add(key)
                    lab_audio[label] = key
                continue
            start: float | None = key
            positions: tuple[float, ...] = (key,)
        else:
            found = position_of(label, key, end)
            start = found.start
            if start is None:
                positions = ()
                label = (label or "").strip()
            else:
                if key is None and found.label != (label or "").strip():
                    flags.append(Flag("normalised_label", f"The label {label!r} is read as position {found.label}."))
                positions = _span(start, found.end, label, flags)
                label = found.label
        if status == "ignored" and not kinds:
            known.update(positions)
            if len(positions) == 1:  # an ignored omnibus is not wanted as such; its books may well be
                ignored_at.add(start)
            continue
        if status == "wanted" or wanted_kinds:
            for position in positions:
                wanted.setdefault(position, work_id)
            if status == "wanted" and not kinds and published:
                today = today or policy.day()
                if (day := parse_date(published)) is not None and day > today:
                    later.update(positions)
                    continue
        known.update(positions)
        if not positions:
            if kinds or status == "owned":
                unnumbered.append((label, kinds | 4, -1.0 if is_prequel(label) else _INF))
            continue
        if kinds or status == "owned":
            cov_any.update(positions)
            lab_any[label] = start
        if kinds & 1:
            cov_ebook.update(positions)
            lab_ebook[label] = start
        if kinds & 2:
            cov_audio.update(positions)
            lab_audio[label] = start
    return (cov_any, cov_ebook, cov_audio, lab_any, lab_ebook, lab_audio, unnumbered, known, ignored_at, wanted,
            later, today)


def _count_unnumbered(unnumbered: list[tuple[str, int, float]], lab_any: dict[str, float],
                      lab_ebook: dict[str, float], lab_audio: dict[str, float]) -> list[int]:
    """The books with no position, counted per kind (any, ebook, audiobook); each label once, shown last
    (a prequel first)."""
    un_counts = [0, 0, 0]
    for label, bits, order in unnumbered:
        if not label:  # in the series with no place at all: owned, each on its own, with no label to show
            un_counts[0] += 1
            un_counts[1] += bits & 1
            un_counts[2] += (bits & 2) >> 1
            continue
        if label not in lab_any:
            un_counts[0] += 1
            lab_any[label] = order
        if bits & 1 and label not in lab_ebook:
            un_counts[1] += 1
            lab_ebook[label] = order
        if bits & 2 and label not in lab_audio:
            un_counts[2] += 1
            lab_audio[label] = order
    return un_counts


def _add_listed(merged: MergedListings, required: set[float], later: set[float], ignored_at: set[float],
                cov_any: set[float], library_top: int, flags: list[Flag]) -> tuple[SourceReport, ...]:
    """The listings' required and upcoming positions added to ``required`` and ``later``; what each source
    says against the library."""
    listed_required, listed_later = merged.required(), merged.upcoming()
    top_listed = max((p for p in listed_required | listed_later if p == int(p)), default=0)
    if top_listed and library_top > top_listed:
        flags.append(Flag("beyond_listing", f"Your library has book {library_top} but the listings go only "
                                            f"to {format_number(top_listed)}."))
    required |= listed_required
    later |= listed_later
    return tuple(
        SourceReport(s.source, s.series_name, s.count, len((s.required - ignored_at) & cov_any),
                     _labels_of(s.required - ignored_at - cov_any),
                     _labels_of(s.upcoming - ignored_at - cov_any - required) if s.upcoming else (), s.partial)
        for s in merged.sources)


def entry_positions(label: str, sort_key: float | None, sort_key_end: float | None) -> tuple[float, ...]:
    """The positions one entry covers, as the rules count them ("1-3" -> 1, 2, 3; "Prequel" -> none)."""
    found = position_of(label, sort_key, sort_key_end)
    return () if found.start is None else _span(found.start, found.end, label, [])


def _span(start: float, end: float | None, label: str, flags: list[Flag]) -> tuple[float, ...]:
    """The positions an entry covers: itself, or every whole number of an omnibus range and its ends."""
    if end is None:
        return (start,)
    if end - start > _MAX_SPAN:
        flags.append(Flag("long_range", f"The range {label!r} is too long to be an omnibus; only its ends count."))
        return (start, end)
    whole = [float(n) for n in range(math.ceil(start), math.floor(end) + 1)]
    return tuple(dict.fromkeys([start, *whole, end]))


def _library_positions(known: set[float], flags: list[Flag]) -> set[float]:
    """Every whole position from 1 to the highest the library names, rounded down (years and ids left out)."""
    top = float(math.floor(max(known)))  # a novella 2.5 comes after book 2, so books 1 and 2 exist
    if top < 1:
        return set()
    if top <= _MAX_FILL:
        return set(_RANGES[int(top)])
    whole = {p for p in known if p >= 1 and p == int(p)}
    if top > 3 * len(whole):
        flags.append(Flag("year_like_positions",
                          f"Positions go up to {int(top)} with only {len(whole)} numbered; they look like years or "
                          "ids, so no gaps are counted between them."))
        return whole
    return {float(n) for n in range(1, int(top) + 1)}


def _labels_of(positions: set[float]) -> tuple[str, ...]:
    return tuple([POSITION_LABELS.get(p) or format_number(p) for p in sorted(positions)]) if positions else ()


def _kind_gaps(kind: str, required: set[float], covered: set[float], unnumbered: int, labels: dict[str, float],
               shelf: Shelf) -> KindGaps:
    if required:
        missing = required - covered
        positions = tuple(sorted(missing)) if len(missing) > 1 else tuple(missing)
        completion = round(100.0 * (len(required) - len(missing)) / len(required), 1)
    else:
        positions, completion = (), 100.0
    owned_count = len(covered) + unnumbered
    status = COMPLETE if not positions else PARTIAL if owned_count else INCOMPLETE
    return KindGaps(kind, owned_count, positions, completion, status, labels, shelf)
