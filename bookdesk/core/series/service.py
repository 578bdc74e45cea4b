"""Series and authors for the views and the CLI: gaps, summaries, entries, wanting and ignoring.

Every series' gaps come from two queries (entries as tuples, listings) and the rules in
``gaps.py``. The whole library's answer is kept while nothing is committed to the catalog (by
anyone: see ``ChangeWatch``); after a commit only the series that changed are worked out again
(see ``snapshot.py``), so the Series view reopens at once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bookdesk.core.collector_pause import collector_paused
from bookdesk.core.series import authors as author_rules
from bookdesk.core.series import kept_answers, summary_cache
from bookdesk.core.series import snapshot as snapshots
from bookdesk.core.series.gaps import ANY, GapPolicy, SeriesGaps, series_gaps
from bookdesk.core.series.listing import SeriesListing
from bookdesk.core.series.summaries import (
    OFFLINE,
    AuthorOverview,
    KindFigures,
    SeriesCheck,
    SeriesEntryView,
    SeriesOverview,
    WantedBook,
)
from bookdesk.core.series.views import series_entries
from bookdesk.core.series.wanting import WantedBooks
from bookdesk.core.settings import PROVIDERS
from bookdesk.data.author_repository import AuthorRepository, AuthorRows
from bookdesk.data.catalog import Catalog
from bookdesk.data.change_watch import ChangeWatch
from bookdesk.data.gap_repository import GapRepository, SeriesCheckRecord, SeriesRow, StoredListing
from bookdesk.data.library_entry import SERIES_ID
from bookdesk.data.revisions import series_revision
from bookdesk.data.work_repository import now
from bookdesk.errors import NotFoundError, UsageError
from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.people import person_key

__all__ = ["SeriesService"]


class SeriesService:
    """Series gaps, the wanted list and authors over one open catalog."""

    def __init__(self, catalog: Catalog, policy: GapPolicy | None = None,
                 provider_order: Sequence[str] = PROVIDERS, cache_file: Path | None = None,
                 follow_changes: bool = True, keep_answers: bool = True) -> None:
        """``cache_file``: where the Series view's rows are saved between runs (see summary_cache.py);
        None keeps nothing. ``follow_changes``: read what lets a later call work out only the series that
        changed (the app); a one-off answer (``bookdesk gaps``) goes without. ``keep_answers``: take the
        answers kept in the catalog where current, and keep those worked out (kept_answers.py)."""
        self.catalog = catalog
        self.policy = policy or GapPolicy()
        self._order = {source: rank for rank, source in enumerate(provider_order)}
        self._watch = ChangeWatch(catalog.path)
        self._snapshot: snapshots.Snapshot | None = None
        self._revision: int | None = None  # the catalog's series revision the snapshot was made at
        self._lock = threading.RLock()
        self._follow_changes = follow_changes
        self._keep_answers = keep_answers
        self._saved = summary_cache.SavedRows(cache_file)  # its own lock: the view must not wait for a warm-up
        self.wanting = WantedBooks(catalog, self._watch)
        # What the Authors view's rows were made from, and the rows: during an identification most commits
        # change nothing an author's figures read, and working 20,000 authors out again was Python on the worker
        # while the window waited for the GIL.
        self._authors_made: tuple[AuthorRows, list[SeriesGaps], list[AuthorOverview]] | None = None

    def close(self) -> None:
        """Stop following the catalog; write the newest rows to the cache file if they are not there yet."""
        self._watch.close()
        self._saved.flush()

    def configure(self, policy: GapPolicy, provider_order: Sequence[str]) -> None:
        """New settings: the gap rules and the providers whose listings are preferred, in force from the
        next ask. A new policy is seen by the kept answer itself; a new order is not, so it is let go."""
        order = {source: rank for rank, source in enumerate(provider_order)}
        with self._lock:
            if order != self._order:
                self._order = order
                self._snapshot = None
            self.policy = policy

    # ----- gaps ----------------------------------------------------------------------

    def gaps(self, series_name: str | None = None, *, include_ignored: bool = False) -> list[SeriesGaps]:
        """Every series' gaps, by name (series the user ignores left out unless asked); or those of the
        series called ``series_name`` (case and accents aside; failing that, whose name contains it)."""
        if series_name is None:
            return [g for g in self._current().gaps if include_ignored or not g.ignored]
        with self.catalog.read() as session:
            ids = GapRepository(session).series_named(series_name)
            if not ids:
                raise NotFoundError(f"There is no series called {series_name!r} in this library.")
            return self._compute(session, ids)

    def series_gaps(self, series_id: int) -> SeriesGaps:
        with self.catalog.read() as session:
            found = self._compute(session, [series_id])
        if not found:
            raise NotFoundError(f"There is no series with id {series_id} in this library.")
        return found[0]

    def summaries(self) -> list[SeriesOverview]:
        """Every series for the Series view, by name, with owned and missing counts per media kind."""
        if self._snapshot is None:
            saved = self._saved_summaries()
            if saved is not None:
                return saved
        return self._computed_summaries()

    def _computed_summaries(self) -> list[SeriesOverview]:
        snapshot = self._current()
        with self._lock:
            made, authors, of = snapshot.overviews, snapshot.authors, KindFigures.of
            if len(made) < len(snapshot.gaps):
                with collector_paused():
                    for g in snapshot.gaps:
                        if g.series_id not in made:
                            made[g.series_id] = SeriesOverview(
                                g.series_id, g.name, authors.get(g.series_id, ""), g.monitored, g.ignored, g.total,
                                of(g.overall), of(g.ebook), of(g.audiobook), g.sources, bool(g.flags))
            rows = [made[g.series_id] for g in snapshot.gaps]
            revision = self._revision if snapshot is self._snapshot else None
        self._save_summaries(revision, snapshot.day, rows)
        return rows

    def _cache_key(self, revision: int, day: date) -> list:
        """What saved rows depend on besides the catalog's contents."""
        try:
            identity = os.stat(self.catalog.path).st_ino  # a catalog restored from a backup is another file
        except OSError:
            identity = 0
        return [summary_cache.FORMAT, revision, identity, self.policy.language, self.policy.novellas,
                day.isoformat(), sorted(self._order, key=self._order.__getitem__)]

    def _saved_summaries(self) -> list[SeriesOverview] | None:
        """The rows saved by an earlier run (or this one), when the catalog has not changed since."""
        if self._saved.path is None:
            return None
        with self.catalog.read() as session:
            revision = series_revision(session)
        return None if revision is None else self._saved.get(self._cache_key(revision, self.policy.day()))

    def _save_summaries(self, revision: int | None, day: date, rows: list[SeriesOverview]) -> None:
        if self._saved.path is not None and revision is not None:
            self._saved.put(self._cache_key(revision, day), rows)

    def warm(self) -> None:
        """Work out every series' gaps and summaries now (in a worker), so the Series view opens at once and
        after an edit only the series that changed are worked out again (saved rows alone cannot do that)."""
        self._computed_summaries()

    def entries(self, series_id: int) -> list[SeriesEntryView]:
        """A series' books in order: the owned, wanted and ignored ones, and ghosts for the missing."""
        with self.catalog.read() as session:
            repo = GapRepository(session)
            row = repo.series_row(series_id)
            gaps = self._compute(session, [series_id])[0]
            works = repo.entry_works(series_id)
        return series_entries(row.name, gaps, works)

    def history(self, series_id: int) -> list[SeriesCheckRecord]:
        """The checks of a series against providers' listings, newest first."""
        with self.catalog.read() as session:
            GapRepository(session).series_row(series_id)
            return GapRepository(session).checks(series_id)

    def check_history(self, series_id: int) -> list[SeriesCheck]:
        """The checks of a series, newest first, one record per check with its figures per media kind."""
        by_time: dict[datetime, dict[str, SeriesCheckRecord]] = {}
        for record in self.history(series_id):
            by_time.setdefault(record.checked_at, {})[record.media_kind] = record
        checks = []
        for at, kinds in by_time.items():
            first = next(iter(kinds.values()))

            def figures(kind: str, kinds: dict[str, SeriesCheckRecord] = kinds) -> tuple[int, int]:
                found = kinds.get(kind)
                return (found.owned, found.missing) if found else (0, 0)
            checks.append(SeriesCheck(at, first.sources, first.total, figures(ANY), figures("ebook"),
                                      figures("audiobook"), offline=OFFLINE in kinds))
        return checks

    def series_id(self, name: str, author: str | None = None) -> int:
        """The id of the series called exactly ``name`` (case and accents aside); when several authors
        have a series of that name, the one ``author`` writes."""
        with self.catalog.read() as session:
            ids = GapRepository(session).series_named(name)
            rows = GapRepository(session).series_rows(ids)
        exact = [r.id for r in rows if fold(r.name) == fold(name)]
        if not exact:
            raise NotFoundError(f"There is no series called {name!r} in this library.")
        if len(exact) > 1 and author:
            written = self.series_authors(exact)
            wanted = person_key(author)
            exact = [i for i in exact if any(person_key(p) == wanted for p in written.get(i, "").split(" & "))] \
                or exact
        if len(exact) > 1:
            spelled = [r.id for r in rows if r.name == name and r.id in exact]
            if len(spelled) == 1:
                return spelled[0]
            raise UsageError(f"Several series are called {name!r}; give the name exactly as it is spelled, "
                             "and its author.")
        return exact[0]

    def series_authors(self, series_ids: Sequence[int]) -> dict[int, str]:
        """Series id -> the authors most of its books show ("Ursula K. Le Guin"): what tells two series of
        one name apart."""
        snapshot = self._snapshot
        if snapshot is not None and snapshot.version is not None and snapshot.version == self._watch.version() \
                and all(i in snapshot.authors for i in series_ids):
            return {i: snapshot.authors[i] for i in series_ids}
        with self.catalog.read() as session:
            groups: dict[int, list[tuple]] = {}
            for row in GapRepository(session).entry_rows(series_ids, prints=False):
                groups.setdefault(row[SERIES_ID], []).append(row)
        return {i: snapshots.main_display(groups.get(i)) for i in series_ids}

    # ----- listings from providers ----------------------------------------------------

    def record_listings(self, series_id: int, listings: Sequence[SeriesListing],
                        fetched_at: datetime | None = None) -> SeriesGaps:
        """Keep fresh provider listings of a series (each replaces that source's last one), work out its
        gaps with them, and record the check in the series' history."""
        at = fetched_at or now()
        with self.catalog.write() as session:
            repo = GapRepository(session)
            repo.series_row(series_id)
            for listing in listings:
                repo.save_listing(StoredListing(series_id, listing.source, listing.provider_series_id,
                                                listing.series_name, listing.total_primary, listing.books_json(),
                                                at))
            gaps = self._compute(session, [series_id])[0]
            for listing in listings:
                repo.note_provider(series_id, listing.source, listing.provider_series_id)
            repo.set_total(series_id, gaps.total)
            repo.add_checks(series_id, at, [(kind.media_kind, kind.owned_count, len(kind.missing_positions),
                                             gaps.total) for kind in (gaps.overall, gaps.ebook, gaps.audiobook)],
                            gaps.sources)
        return gaps

    def record_offline(self, series_id: int, providers: Sequence[str], at: datetime | None = None) -> None:
        """An attempt at a check that reached no provider: in the history as such, never as a check."""
        with self.catalog.write() as session:
            repo = GapRepository(session)
            repo.series_row(series_id)
            repo.add_checks(series_id, at or now(), [(OFFLINE, 0, 0, None)], providers)

    def listings(self, series_id: int) -> list[SeriesListing]:
        """The stored listings of a series, preferred source first."""
        with self.catalog.read() as session:
            stored = GapRepository(session).listings([series_id])
        last = len(self._order)
        return [SeriesListing.from_stored(s.source, s.series_name, s.provider_series_id, s.total_primary, s.books_json)
                for s in sorted(stored, key=lambda s: (self._order.get(s.source, last), s.source))]

    # ----- monitoring and ignoring ----------------------------------------------------

    def set_monitored(self, series_id: int, monitored: bool = True) -> None:
        with self.catalog.write() as session:
            GapRepository(session).set_monitored(series_id, monitored)

    def ignore_series(self, series_id: int, ignored: bool = True) -> None:
        """Not interested in a series: it has no gaps in the lists, and nothing of it is wanted by itself."""
        with self.catalog.write() as session:
            GapRepository(session).set_ignored(series_id, ignored)

    def ignore_work(self, work_id: int, ignored: bool = True) -> None:
        self.wanting.ignore_work(work_id, ignored)

    def ignore_position(self, series_id: int, label: str) -> int:
        return self.wanting.ignore_position(self._gaps_now, series_id, label)

    # ----- wanting (see WantedBooks) ---------------------------------------------------

    def want_missing(self, series_id: int, media_kind: str | None = None) -> list[int]:
        return self.wanting.want_missing(self._gaps_now, series_id, media_kind)

    def want_position(self, series_id: int, label: str, media_kind: str | None = None) -> int:
        return self.wanting.want_position(self._gaps_now, series_id, label, media_kind)

    def want_monitored(self, media_kind: str | None = None) -> list[int]:
        return self.wanting.want_monitored(self._gaps_now, media_kind)

    def unwant(self, work_id: int) -> None:
        self.wanting.unwant(work_id)

    def wanted(self) -> list[WantedBook]:
        return self.wanting.wanted()

    # ----- authors -------------------------------------------------------------------

    def authors(self) -> list[AuthorOverview]:
        """Every credited author, by sort name, with owned and missing books per media kind (kept, as the
        series' gaps are, until the catalog changes)."""
        snapshot = self._current()
        with self._lock:
            if snapshot.author_overviews is None:
                with collector_paused():
                    snapshot.author_overviews = self._authors(snapshot)
            return list(snapshot.author_overviews)

    def _authors(self, snapshot: snapshots.Snapshot) -> list[AuthorOverview]:
        with self.catalog.read() as session:
            rows = AuthorRepository(session).rows()
        made = self._authors_made
        if made is not None and made[0] == rows and author_rules.same_gaps(made[1], snapshot.gaps):
            return made[2]  # a commit that changed nothing an author's figures read
        counts = rows.counted()
        people = [p for p in rows.people() if p.id in counts]
        overviews = author_rules.author_overviews(people, counts, rows.credits, snapshot.gaps)
        self._authors_made = (rows, snapshot.gaps, overviews)
        return overviews

    def set_author_monitored(self, author_id: int, monitored: bool = True) -> None:
        with self.catalog.write() as session:
            AuthorRepository(session).set_monitored(author_id, monitored)

    def merge_authors(self, keep_id: int, other_id: int) -> list[int]:
        """One person under two names: move every credit of ``other_id`` to ``keep_id`` and keep the other
        name as an alias. Returns the works whose credits changed."""
        with self.catalog.write() as session:
            return AuthorRepository(session).merge(keep_id, other_id)

    def author_work_ids(self, author_id: int) -> list[int]:
        with self.catalog.read() as session:
            return AuthorRepository(session).work_ids(author_id)

    def split_alias(self, author_id: int, alias: str, work_ids: Sequence[int] = ()) -> int:
        """Two people under one name: make ``alias`` an author of its own, credited on ``work_ids``.
        Returns the new author's id."""
        with self.catalog.write() as session:
            return AuthorRepository(session).split(author_id, alias, work_ids)[0]

    # ----- internals -----------------------------------------------------------------

    def _current(self) -> snapshots.Snapshot:
        """Every series' gaps: kept while the catalog is unchanged, brought up to date series by series
        after a change, and worked out afresh when the day or the policy changed."""
        with self._lock:
            version = self._watch.version()  # read before the data, so a commit in between is seen next time
            day = self.policy.day()
            found = self._snapshot
            if found is not None and version is not None and found.version == version \
                    and found.policy == self.policy and found.day == day:
                return found
            with collector_paused(), self.catalog.read() as session:
                # Read before the data: a commit in between makes the saved rows look older than they are
                # (a needless recount next time), never newer.
                revision = series_revision(session)
                fresh, to_keep = None, None
                if found is not None and found.policy == self.policy and found.day == day:
                    fresh = snapshots.refresh(found, session, self._gaps, self._parsed, version)
                if fresh is None and self._keep_answers:
                    key = kept_answers.answer_key(self.policy, day, sorted(self._order, key=self._order.__getitem__))
                    fresh, to_keep = kept_answers.snapshot(session, self._gaps, self._parsed, version, self.policy,
                                                           day, key, revision, prints=self._follow_changes)
                if fresh is None:
                    fresh = snapshots.build(session, self._gaps, self._parsed, version, self.policy, day,
                                            prints=self._follow_changes)
            self._snapshot, self._revision = fresh, revision
            if to_keep is not None:
                kept_answers.keep(self.catalog, to_keep, fresh, self._watch)
            return fresh

    def _compute(self, session: Session, series_ids: Sequence[int]) -> list[SeriesGaps]:
        repo = GapRepository(session)
        series = repo.series_rows(series_ids)
        groups: dict[int, list[tuple]] = {}
        for row in repo.entry_rows([r.id for r in series]):
            groups.setdefault(row[SERIES_ID], []).append(row)
        return self._gaps(series, groups, self._parsed(repo.listings([r.id for r in series])))

    def _gaps_now(self, session: Session, series_id: int) -> SeriesGaps:
        return self._compute(session, [series_id])[0]

    def _gaps(self, series: Sequence[SeriesRow], groups: dict[int, list[tuple]],
              listings: dict[int, list[SeriesListing]]) -> list[SeriesGaps]:
        policy = self.policy
        return [series_gaps(r.id, r.name, groups.get(r.id, ()), listings.get(r.id, ()), policy,
                            monitored=r.monitored, ignored=r.ignored) for r in series]

    def _parsed(self, stored: Sequence[StoredListing]) -> dict[int, list[SeriesListing]]:
        """Stored listings as SeriesListings per series, preferred source first."""
        last = len(self._order)
        by_series: dict[int, list[SeriesListing]] = {}
        for row in sorted(stored, key=lambda s: (self._order.get(s.source, last), s.source)):
            by_series.setdefault(row.series_id, []).append(SeriesListing.from_stored(
                row.source, row.series_name, row.provider_series_id, row.total_primary, row.books_json))
        return by_series
