"""Every series' gaps from the answers kept in the catalog (data/gap_answers.py, migration 0013).

Working out 12,625 series of a 100,000-book library took 0.8-1.3 s on every ``bookdesk gaps`` and every
start of the Series view. The answers are kept with what each was worked out from; the next reader takes
them as they are when the catalog's ``series`` counter has not moved since, or else compares each series'
readings (gap_fingerprints.py) and works out again only the series whose readings differ. What it worked
out is kept in turn. A catalog that takes no change is read all the same; it only keeps nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bookdesk.core.series import snapshot as snapshots
from bookdesk.core.series.gap_results import SeriesGaps
from bookdesk.core.series.gaps_json import gaps_json_text
from bookdesk.core.series.policy import GapPolicy
from bookdesk.core.series.stored_answers import answer_key, decode_all, encode, other_day
from bookdesk.data import gap_answers
from bookdesk.data import gap_fingerprints as prints_of
from bookdesk.data.catalog import Catalog
from bookdesk.data.change_watch import ChangeWatch
from bookdesk.data.gap_answers import AnswerSet, StoredAnswer
from bookdesk.data.gap_repository import GapRepository, series_row
from bookdesk.data.revisions import series_revision
from bookdesk.errors import BookDeskError

log = logging.getLogger(__name__)
__all__ = ["ToKeep", "answer_key", "keep", "snapshot"]
# Columns of the kept rows (data/gap_answers.answers), in StoredAnswer's field order.
_PRINT, _STAMP, _ROW, _HAS_BOOKS, _AUTHORS, _ANSWER, _BOOKS = range(1, 8)


@dataclass(slots=True)
class ToKeep:
    """What a reading worked out, to be kept once its read transaction is over."""

    key: str
    revision: int | None  # the series counter the reading saw
    seen: AnswerSet | None  # the set as the reading found it
    rows: list[StoredAnswer]
    copied: tuple[int, list[int]] | None = None  # (another day's set, its series whose answers hold today too)


def snapshot(session: Session, compute: snapshots.Compute, parse: snapshots.Parse, version: int | None,
             policy: GapPolicy, day: date, key: str, revision: int | None, *,
             prints: bool) -> tuple[snapshots.Snapshot, ToKeep]:
    """Every series' gaps, from the kept answers where they are current and worked out where not."""
    connection = session.connection().connection.driver_connection
    seen = gap_answers.answer_set(connection, key)
    # A new day: another day's answers stand for the series whose answer the day alone cannot change.
    other = None if seen is not None else next(
        (found for other_key, found in gap_answers.answer_sets(connection).items() if other_day(key, other_key)), None)
    source = seen or other
    table = prints_of.series_table(session)
    current = seen is not None and seen.revision is not None and seen.revision == revision
    kept = gap_answers.answers(connection, source.id, readings=not current) if source is not None else {}
    if other is not None:
        dated = gap_answers.dated_series(connection)
        kept = {series_id: row for series_id, row in kept.items() if series_id not in dated}
    unreadable = False
    if current:
        changed = [raw for raw in table if raw[0] not in kept]  # nothing moved: only series new to the set
    else:
        fingerprints = prints_of.series_fingerprints(session) if kept else {}
        stamps = prints_of.listing_stamps(session) if kept else {}
        changed = [raw for raw in table if (found := kept.get(raw[0])) is None
                   or found[_PRINT] != fingerprints.get(raw[0], 0) or found[_STAMP] != stamps.get(raw[0], "")
                   or found[_ROW] != _row_text(raw)]
    changed_ids = {raw[0] for raw in changed}
    # Past this many, one full analysis is quicker. Higher than the in-process refresh's limit: here each series
    # worked out is also encoded and written, and on a new day, with 6,966 of 12,625 series to work out again,
    # doing only those took 1.8 s of CPU against 2.1 s for everything (bench library, load 10).
    many = max(snapshots.REFRESH_LIMIT, 3 * len(table) // 4)
    unchanged = [found for raw in table if (found := kept.get(raw[0])) is not None and raw[0] not in changed_ids]
    try:
        decoded = decode_all([(a[0], a[_ANSWER], a[_BOOKS]) for a in unchanged]) if len(changed) <= many else []
    except (ValueError, TypeError, KeyError, IndexError) as exc:  # a damaged row: worked out afresh, kept anew
        log.warning("kept series gaps could not be read (%s); working them out again", exc)
        decoded, unreadable = [], True
    if source is None or unreadable or len(changed) > many:
        made = snapshots.build(session, compute, parse, version, policy, day, prints=True)
        rows = _rows(made.by_id, table, made.fingerprints or {}, made.stamps, made.authors)
        return _without_prints(made, prints), ToKeep(key, revision, seen, rows)
    copied = (other.id, [a[0] for a in unchanged]) if other is not None else None
    repo = GapRepository(session)
    ids = [raw[0] for raw in changed]
    groups, fresh_prints, _, fresh_authors = snapshots.grouped(repo.entry_rows(ids)) if ids else ({}, {}, {}, {})
    by_id = {g.series_id: g for g in compute([series_row(raw) for raw in changed], groups,
                                             parse(repo.listings(ids)))} if ids else {}
    stamps = prints_of.listing_stamps(session) if ids or prints else {}
    rows = _rows(by_id, changed, fresh_prints, stamps, fresh_authors)
    by_id.update((g.series_id, g) for g in decoded)
    with_books = {a[0] for a in unchanged if a[_HAS_BOOKS]} | {r.series_id for r in rows if r.has_books}
    authors = {a[0]: a[_AUTHORS] for a in unchanged} | {r.series_id: r.authors for r in rows}
    gaps = [by_id[raw[0]] for raw in table]
    made = snapshots.Snapshot(
        version, policy, day, snapshots.listed_only(gaps, with_books), by_id, table,
        {a[0]: a[_PRINT] for a in unchanged} | fresh_prints if prints else None,
        prints_of.entry_sums(session) if prints else None, stamps, authors)
    return made, ToKeep(key, revision, seen, rows, copied)


def keep(catalog: Catalog, found: ToKeep, made: snapshots.Snapshot, watch: ChangeWatch) -> None:
    """Keep what a reading worked out; a catalog that takes no change, or a failing write, keeps nothing
    (the next reading works those series out again). ``made`` is what the reading made: keeping is a commit,
    which would otherwise make it look out of date to its own service at once."""
    if catalog.read_only or (not found.rows and not found.copied and found.seen is not None
                             and found.seen.revision == found.revision):
        return
    try:
        with catalog.write() as session:
            gap_answers.save(session.connection().connection.driver_connection, found.key, found.revision,
                             found.seen, found.rows, found.copied)
        # The version first, then the counter: a change the analysis sees made before this version was read
        # moved the counter; one made after it moves the version again.
        after = watch.version()
        with catalog.read() as session:
            if made.version is not None and series_revision(session) == found.revision:
                made.version = after
    except BookDeskError as exc:
        log.warning("series gaps not kept in the catalog: %s", exc)


def _rows(by_id: dict[int, SeriesGaps], table: Sequence[tuple], fingerprints: dict[int, int],
          stamps: dict[int, str], authors: dict[int, str]) -> list[StoredAnswer]:
    rows = []
    for raw in table:
        gaps, series_id = by_id[raw[0]], raw[0]
        by = authors.get(series_id, "")
        rows.append(StoredAnswer(series_id, fingerprints.get(series_id, 0), stamps.get(series_id, ""), _row_text(raw),
                                 series_id in fingerprints, by, *encode(gaps), gaps_json_text(gaps, by)))
    return rows


def _row_text(raw: tuple) -> str:
    return json.dumps(list(raw), ensure_ascii=False)


def _without_prints(made: snapshots.Snapshot, prints: bool) -> snapshots.Snapshot:
    """A snapshot built with fingerprints for keeping, without them when its service follows no change (as
    one built for a one-off answer is)."""
    if not prints:
        made.fingerprints = made.entry_sums = None
    return made
