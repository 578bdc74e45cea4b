"""A series' detail as the Series view lists it: its books in order, with ghosts for the missing ones."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bookdesk.core.series.gaps import KIND_BITS, MEDIA_KINDS, MissingBook, SeriesGaps, entry_positions
from bookdesk.core.series.listing import parse_date
from bookdesk.core.series.summaries import SeriesEntryView
from bookdesk.vocabulary.positions import is_prequel, position_of

_STATE_ORDER = {"owned": 0, "wanted": 1, "ignored": 2, "missing": 3, "upcoming": 4}


def series_entries(name: str, gaps: SeriesGaps, works: Sequence[tuple]) -> list[SeriesEntryView]:
    """The works of a series (tuples from ``GapRepository.entry_works``) and ghosts for what ``gaps``
    finds missing or not yet out, in series order: "Prequel" first, then by position."""
    missing_in = {kind: set(gaps.kind(kind).missing_positions) for kind in MEDIA_KINDS}
    views: list[SeriesEntryView] = []
    taken: set[float] = set()
    for work_id, label, key, end, status, kinds, title, authors, cover_path, cover_url, published in works:
        found = position_of(label, key, end)
        positions = entry_positions(label, key, end)
        taken.update(positions)
        media = tuple(kind for kind in MEDIA_KINDS if kinds & KIND_BITS[kind])
        if kinds or status == "owned":
            state = "owned"
            lacking = tuple(kind for kind in MEDIA_KINDS if any(p in missing_in[kind] for p in positions))
        else:
            state = "wanted" if status == "wanted" else "ignored"
            lacking = MEDIA_KINDS if state == "wanted" else ()
        views.append(SeriesEntryView(
            label=found.label or (label or "").strip(), position=found.start, state=state, work_id=work_id,
            title=title, authors=authors or "", media_kinds=media, missing_kinds=lacking,
            release_date=parse_date(published) if state == "wanted" else None, cover_path=cover_path,
            cover_url=cover_url, sources=()))
    for state, books in (("missing", gaps.overall.missing), ("upcoming", gaps.upcoming)):
        views += [_ghost(book, state) for book in books if book.position not in taken]
    return sorted(views, key=_order)


def _ghost(book: MissingBook, state: str) -> SeriesEntryView:
    return SeriesEntryView(label=book.label, position=book.position, state=state, work_id=None, title=book.title,
                           authors=" & ".join(book.authors), media_kinds=(), missing_kinds=MEDIA_KINDS,
                           release_date=book.release_date, cover_path=None, cover_url=book.cover_url,
                           sources=book.sources)


def _order(view: SeriesEntryView) -> tuple[float, int, str]:
    place = view.position if view.position is not None else -1.0 if is_prequel(view.label) else math.inf
    return (place, _STATE_ORDER[view.state], view.title or "")
