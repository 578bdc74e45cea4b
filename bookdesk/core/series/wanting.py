"""Wanting missing books: deciding what that changes, so it never makes two works of one book, then
making the changes.

A missing position gets a new wanted work only when no work of the series stands at it. A
wanted work already there is enough; an owned book whose other media kind is wanted gets
that kind added to its wanted kinds instead of a second work.

``WantedBooks`` is what the series service hands on: wanting, unwanting and ignoring books, and the
wanted list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bookdesk.core.series import authors as author_rules
from bookdesk.core.series.gaps import ANY, MEDIA_KINDS, MissingBook, SeriesGaps, entry_positions
from bookdesk.core.series.listing import parse_date
from bookdesk.core.series.summaries import WantedBook
from bookdesk.data.author_repository import AuthorRepository
from bookdesk.data.catalog import Catalog
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.change_watch import ChangeWatch
from bookdesk.data.gap_repository import GapRepository
from bookdesk.data.library_entry import LibraryEntry
from bookdesk.data.wanted_repository import WantedRepository, wanted_records
from bookdesk.data.work_repository import now
from bookdesk.errors import UsageError
from bookdesk.vocabulary.positions import position_of


@dataclass(slots=True)
class WantPlan:
    create: list[MissingBook] = field(default_factory=list)  # new wanted works
    mark: list[tuple[int, str]] = field(default_factory=list)  # (work id, media kind) to add to its wanted kinds
    already: list[int] = field(default_factory=list)  # works that already stand for a wanted book

    @property
    def changes(self) -> int:
        return len(self.create) + len(self.mark)


def plan_wants(gaps: SeriesGaps, entries: Iterable[LibraryEntry], media_kind: str | None,
               books: Iterable[MissingBook] | None = None) -> WantPlan:
    """What to do to want ``books`` (default: every missing book of ``media_kind``, or of any kind)."""
    at: dict[float, list[LibraryEntry]] = {}
    for entry in entries:
        for position in entry_positions(entry.label, entry.sort_key, entry.sort_key_end):
            at.setdefault(position, []).append(entry)
    plan = WantPlan()
    for book in gaps.kind(media_kind).missing if books is None else books:
        works = at.get(book.position, [])
        wanted = [w for w in works if w.status == "wanted" and not w.kinds]
        if wanted:
            work = wanted[0]
            kinds = _kinds(work.wanted_kinds)
            if media_kind is None or not kinds or media_kind in kinds:
                plan.already.append(work.work_id)
            else:
                plan.mark.append((work.work_id, media_kind))
            continue
        owned = [w for w in works if w.kinds or w.status == "owned"]
        if owned and media_kind is not None:
            work = owned[0]
            if media_kind in _kinds(work.wanted_kinds):
                plan.already.append(work.work_id)
            else:
                plan.mark.append((work.work_id, media_kind))
            continue
        plan.create.append(book)
    return plan


def _kinds(joined: str | None) -> set[str]:
    return {k for k in (joined or "").split(",") if k}


def apply_plan(session: Session, gaps: SeriesGaps, plan: WantPlan, media_kind: str | None) -> list[int]:
    """Make the plan's changes; returns the works created or newly marked."""
    repo = WantedRepository(session)
    changed: list[int] = []
    for work_id, kind in plan.mark:
        repo.set_wanted_kinds(work_id, [*repo.state(work_id).wanted_kinds, kind])
        changed.append(work_id)
    if plan.create:
        changed += add_placeholders(session, gaps, plan.create, media_kind, status="wanted")
    return changed


def add_placeholders(session: Session, gaps: SeriesGaps, books: Sequence[MissingBook], media_kind: str | None,
                     status: str) -> list[int]:
    """Works without files standing for missing books (status "wanted" or "ignored"), with what the
    listings know: title, authors (else the series' main authors), position, release date, identifiers,
    language and cover. A book no listing names is called "<series> #<position>"."""
    repo = WantedRepository(session)
    series_authors = repo.series_authors(gaps.series_id)
    works = [NewWork(title=book.title or f"{gaps.name} #{book.label}",
                     contributors=[Contributor(name) for name in (book.authors or series_authors)],
                     series=[SeriesRef(gaps.name, book.label, series_id=gaps.series_id)],
                     identifiers=dict(book.identifiers),
                     language=book.language, status=status,
                     first_published=book.release_date.isoformat() if book.release_date else None)
             for book in books]
    kinds = [(media_kind or "") if status == "wanted" else "" for _ in books]
    return repo.add_placeholders(works, [book.cover_url for book in books], kinds, now())


GapsOf = Callable[[Session, int], SeriesGaps]


class WantedBooks:
    """Wanting, unwanting and ignoring books of one catalog, and the wanted list (the series service hands
    these on).

    ``gaps_of`` (a series' gaps worked out now, in the session given) comes with each call rather than
    being kept: kept, the service's own method would tie the service and this into a cycle, and a service
    let go would keep every series' answer alive until the cyclic collector ran."""

    def __init__(self, catalog: Catalog, watch: ChangeWatch) -> None:
        self.catalog = catalog
        self._watch = watch
        self._wanted_memo: tuple[int, list[WantedBook]] | None = None
        self._wanted_made: tuple[tuple, list[WantedBook]] | None = None  # the rows the books were made from

    def ignore_work(self, work_id: int, ignored: bool = True) -> None:
        """Not interested in a book the library has no file of: its position is no longer missing.

        Un-ignoring removes the placeholder, so the book shows as missing again.
        """
        with self.catalog.write() as session:
            repo = WantedRepository(session)
            state = repo.state(work_id)
            if state.file_kinds:
                raise UsageError("You have files of this book, so it cannot be ignored.")
            if ignored:
                repo.set_status(work_id, "ignored", now())
            elif state.status == "ignored":
                repo.delete(work_id)

    def ignore_position(self, gaps_of: GapsOf, series_id: int, label: str) -> int:
        """Not interested in the missing book at ``label``: an ignored placeholder stands for it."""
        with self.catalog.write() as session:
            gaps, entries = _fresh(gaps_of, session, series_id)
            book = _find(gaps, label)
            plan = plan_wants(gaps, entries, None, [book])
            repo = WantedRepository(session)
            if plan.already:
                repo.set_status(plan.already[0], "ignored", now())
                return plan.already[0]
            return add_placeholders(session, gaps, [book], None, status="ignored")[0]

    def want_missing(self, gaps_of: GapsOf, series_id: int, media_kind: str | None = None) -> list[int]:
        """Make every missing book of a series (of one media kind, or of any) wanted; returns the works
        created or newly marked. Wanting again changes nothing: one position never gets two wanted works."""
        media_kind = _check_kind(media_kind)
        with self.catalog.write() as session:
            gaps, entries = _fresh(gaps_of, session, series_id)
            return apply_plan(session, gaps, plan_wants(gaps, entries, media_kind), media_kind)

    def want_position(self, gaps_of: GapsOf, series_id: int, label: str, media_kind: str | None = None) -> int:
        """Want one missing (or not yet released) book of a series; returns the work standing for it."""
        media_kind = _check_kind(media_kind)
        with self.catalog.write() as session:
            gaps, entries = _fresh(gaps_of, session, series_id)
            book = _find(gaps, label, media_kind)
            plan = plan_wants(gaps, entries, media_kind, [book])
            changed = apply_plan(session, gaps, plan, media_kind)
            return (changed or plan.already)[0]

    def want_monitored(self, gaps_of: GapsOf, media_kind: str | None = None) -> list[int]:
        """Want the missing books of every monitored series and of every series a monitored author writes."""
        media_kind = _check_kind(media_kind)
        with self.catalog.read() as session:
            authors = AuthorRepository(session)
            monitored_authors = {a.id for a in authors.authors() if a.monitored}
            mains = author_rules.main_authors(authors.series_credits()) if monitored_authors else {}
            series = [r.id for r in GapRepository(session).series_rows()
                      if not r.ignored and (r.monitored or monitored_authors & set(mains.get(r.id, ())))]
        changed: list[int] = []
        for series_id in series:
            changed += self.want_missing(gaps_of, series_id, media_kind)
        return changed

    def unwant(self, work_id: int) -> None:
        """Stop wanting a book. A wanted book the library has no file of is a placeholder, so it is removed
        (the book shows as missing again); an owned book just stops wanting its other media kinds."""
        with self.catalog.write() as session:
            repo = WantedRepository(session)
            state = repo.state(work_id)
            if state.status == "wanted" and not state.file_kinds:
                repo.delete(work_id)
            elif state.wanted_kinds or state.status == "wanted":
                repo.set_status(work_id, "owned", now())
            else:
                raise UsageError(f"Book {work_id} is not wanted.")

    def wanted(self) -> list[WantedBook]:
        """Every wanted book, by title: the acquisition list (kept until the catalog changes)."""
        version = self._watch.version()
        memo = self._wanted_memo
        if memo is not None and version is not None and memo[0] == version:
            return list(memo[1])
        with self.catalog.read() as session:
            rows = WantedRepository(session).wanted_rows()
        made = self._wanted_made
        if made is not None and made[0] == rows:  # a commit that changed no wanted book (most do not)
            books = made[1]
        else:
            books = [WantedBook(r.id, r.title, r.authors, r.series, r.wanted_kinds, r.status,
                                parse_date(r.first_published), r.cover_url) for r in wanted_records(rows)]
            self._wanted_made = (rows, books)
        self._wanted_memo = (version, books) if version is not None else None
        return list(books)


def _fresh(gaps_of: GapsOf, session: Session, series_id: int) -> tuple[SeriesGaps, list[LibraryEntry]]:
    repo = GapRepository(session)
    repo.series_row(series_id)
    return gaps_of(session, series_id), repo.entries(series_id)


def _check_kind(media_kind: str | None) -> str | None:
    """``media_kind`` checked; None for any kind."""
    if media_kind not in (None, ANY, *MEDIA_KINDS):
        raise UsageError(f"A media kind is one of {', '.join(MEDIA_KINDS)}, not {media_kind!r}.")
    return None if media_kind == ANY else media_kind


def _find(gaps: SeriesGaps, label: str, media_kind: str | None = None) -> MissingBook:
    """The missing or upcoming book at ``label`` ("3", "Book 3")."""
    position = position_of(label, None).start
    for book in (*gaps.kind(media_kind).missing, *gaps.upcoming):
        if book.position == position:
            return book
    raise UsageError(f"Book {label} of {gaps.name} is not missing.")
