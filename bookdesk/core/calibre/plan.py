"""What bringing a calibre library over would do, book by book: the plan a preview shows and an import
carries out. Each calibre book is one BookDesk book with all its formats.

In place, the catalog points at calibre's own files (absolute paths, which no part of BookDesk writes,
moves or trashes: see ``core/writeback/service.py`` and ``core/importer/undo.py``); copied or linked,
they are laid out with the library's template, as any import's are.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from bookdesk.core.calibre.fields import calibre_fields
from bookdesk.core.calibre.matching import CalibreMatcher
from bookdesk.core.calibre.records import (
    CalibreAuthor,
    CalibreBook,
    CalibreFormat,
    CalibreLibrary,
    CustomColumn,
)
from bookdesk.core.importer.formats import FORMATS, BookFormat
from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.placement import IN_PLACE
from bookdesk.core.importer.plan import DUPLICATE, FAILED, NEW, cover_target, destination, make_unique
from bookdesk.core.importer.reading import ReadResult
from bookdesk.core.importer.units import BookUnit
from bookdesk.data.calibre_repository import READ_COLUMN, Link
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.errors import UsageError

MODES = (IN_PLACE, "copy", "link")
# The identifiers BookDesk keeps calibre's own ids under: which book of which calibre library it was.
CALIBRE_ID, CALIBRE_UUID = "calibre_id", "calibre_uuid"
_SCHEME_LENGTH = 32  # identifiers.scheme
# A book brought over before that calibre changed since (by its last-modified time): a run brings the change.
UPDATE = "update"
# A book brought over before that a person removed from BookDesk since: never brought back by a run (the follow
# job runs unasked); undoing the removal brings it back, still followed.
REMOVED_HERE = "removed here"
# A calibre book never brought over that is a book here already (its files imported before: matching.py): the
# calibre link is attached to that book, and what calibre says otherwise goes to review (attach.py).
ATTACH = "attach"
# The kinds of custom column that can be chosen as the read state.
READ_KINDS = ("bool", "enumeration")


@dataclass(eq=False, slots=True)
class CalibreItem:
    book: CalibreBook
    status: str  # plan.NEW, UPDATE, ATTACH, REMOVED_HERE, plan.DUPLICATE or plan.FAILED
    reason: str = ""
    metadata: BookMetadata = field(default_factory=BookMetadata)
    fields: dict[str, object] = field(default_factory=dict)  # calibre_fields: what calibre says now
    link: Link | None = None  # the link of a book brought over before
    files: list[tuple[CalibreFormat, str]] = field(default_factory=list)  # each format and its catalog path
    cover_target: str | None = None
    work_id: int | None = None

    @property
    def source(self) -> str:
        return self.book.path

    @property
    def title(self) -> str:
        return self.book.title

    @property
    def authors(self) -> str:
        return " & ".join(a.name for a in self.book.authors)

    @property
    def formats(self) -> str:
        """The formats coming over; of a book brought over before (nothing to lay out), the ones calibre has."""
        return ", ".join(f.format.upper() for f, _ in self.files) or ", ".join(f.format.upper() for f in self.book.formats)


@dataclass
class CalibrePlan:
    correlation_id: str
    folder: Path
    mode: str
    read_column: str | None = None  # the custom column chosen as the read state, by its label
    library_uuid: str = ""
    columns: list[CustomColumn] = field(default_factory=list)
    items: list[CalibreItem] = field(default_factory=list)
    removed: list[Link] = field(default_factory=list)  # books brought over before that calibre no longer has
    problems: list[str] = field(default_factory=list)  # the library's, and each book's that still comes over
    started: float = field(default_factory=time.perf_counter)

    def count(self, *statuses: str) -> int:
        return sum(1 for item in self.items if item.status in statuses)

    def summary(self) -> str:
        parts = [f"{self.count(NEW):,} to add"]
        if self.count(UPDATE):
            parts.append(f"{self.count(UPDATE):,} changed in calibre")
        if self.removed:
            parts.append(f"{len(self.removed):,} removed in calibre")
        if self.count(ATTACH):
            parts.append(f"{self.count(ATTACH):,} here already, to link")
        if self.count(DUPLICATE):
            parts.append(f"{self.count(DUPLICATE):,} brought over already")
        if self.count(REMOVED_HERE):
            parts.append(f"{self.count(REMOVED_HERE):,} removed here, not brought back")
        if self.count(FAILED):
            parts.append(f"{self.count(FAILED):,} with problems")
        missing = sum(1 for item in self.items if item.book.missing)
        if missing:
            parts.append(f"{missing:,} with files missing in calibre")
        return ", ".join(parts)


def plan_library(library: CalibreLibrary, plan: CalibrePlan, links: dict[str, Link], taken: set[str],
                 root: Path, template: str, removed_here: dict[str, str] | None = None,
                 matcher: CalibreMatcher | None = None, formats_here: dict[int, set[str]] | None = None) -> None:
    """Fill ``plan`` with one item per calibre book. ``links``: the books brought over before, by calibre
    uuid; ``taken``: the catalog paths in use (grown with what this plan adds); ``root``: the library folder;
    ``removed_here``: the calibre uuids of books removed from BookDesk, with the Ref of each removal;
    ``matcher``: the books here no calibre book is linked to, that a calibre book may be; ``formats_here``:
    the formats each book here has a file of (a file calibre lost that its book here has is not missing)."""
    plan.problems += library.problems
    plan.library_uuid, plan.columns = library.library_id, library.columns
    if plan.read_column is None:  # none named: the column chosen when it was brought over, as the follow job runs
        plan.read_column = remembered_read_column(library, links)
    if plan.read_column is not None and plan.read_column not in read_columns(library.columns):
        raise UsageError(f"The calibre library has no yes/no or choice column {plan.read_column!r} to take as "
                         f"the read state; it has: {', '.join(read_columns(library.columns)) or 'none'}.")
    here = {book.uuid for book in library.books}
    ours = same_library(links, library.folder)
    plan.removed = [link for uuid, link in links.items() if link.library in ours and uuid not in here]
    for book in library.books:
        item = CalibreItem(book, NEW, metadata=book_metadata(book))
        item.fields = calibre_fields(book, item.metadata, plan.read_column)
        item.link = links.get(book.uuid) if book.uuid else None
        if item.link is not None:
            item.work_id = item.link.work_id
            changed = _when(book) > item.link.last_modified or item.link.library not in ours or \
                any(name not in item.link.fields for name in item.fields)  # a read column chosen since
            item.status, item.reason = (UPDATE, "changed in calibre since the last run") if changed else \
                (DUPLICATE, "brought over from calibre already")
        elif book.uuid in (removed_here or {}):
            item.status = REMOVED_HERE
            item.reason = f"removed from BookDesk (Ref {removed_here[book.uuid]}): undo that to bring it back"  # type: ignore[index]
        elif matcher is not None and (found := matcher.match(book, item.metadata)) is not None:
            item.status, item.work_id = ATTACH, found[0]
            item.reason = (f"the same book as “{matcher.titles[found[0]]}” here ({found[1]}): linked to it, "
                           "what calibre says otherwise goes to review")
        elif plan.mode == IN_PLACE:
            _in_place(item, taken)
        else:
            _laid_out(item, taken, root, template)
        if item.work_id is not None and book.missing:
            book.held_here((formats_here or {}).get(item.work_id, set()))
        plan.problems += book.problems
        plan.items.append(item)


def read_columns(columns: list[CustomColumn]) -> list[str]:
    """The labels of the custom columns that can be chosen as the read state (yes/no, or one choice)."""
    return [c.label for c in columns if c.datatype in READ_KINDS and not c.is_multiple]


def guess_read_column(columns: list[CustomColumn]) -> str | None:
    """A yes/no or choice column named like "read", if the library has one: offered first."""
    for column in columns:
        if column.label in read_columns(columns) and "read" in (column.label.casefold(), column.name.casefold()):
            return column.label
    return None


def same_library(links: dict[str, Link], folder: Path) -> set[str]:
    """The spellings of ``folder`` (resolved) that links keep: a run spelled another way is the same library."""
    return {library for library in {link.library for link in links.values()} if Path(library).resolve() == folder}


def remembered_read_column(library: CalibreLibrary, links: dict[str, Link]) -> str | None:
    """The read column a run of this library took before, if calibre still has it as one."""
    ours = same_library(links, library.folder)
    for link in links.values():
        chosen = link.fields.get(READ_COLUMN) if link.library in ours else None
        if chosen:
            return chosen if chosen in read_columns(library.columns) else None
    return None


def _when(book: CalibreBook) -> str:
    return book.last_modified.isoformat() if book.last_modified else ""


def _in_place(item: CalibreItem, taken: set[str]) -> None:
    for fmt in item.book.formats:
        target = fmt.path.as_posix()
        if target in taken:  # an earlier import (of files, or of this library) has this very file
            item.status, item.reason = DUPLICATE, f"its {fmt.format.upper()} is in the library already"
            return
        item.files.append((fmt, target))
    taken.update(target for _, target in item.files)
    item.cover_target = item.book.cover.as_posix() if item.book.cover else None


def _laid_out(item: CalibreItem, taken: set[str], root: Path, template: str) -> None:
    for fmt in item.book.formats:
        unit = BookUnit((fmt.path,), book_format(fmt), fmt.path.parent)
        target, _ = destination(template, ReadResult(unit, metadata=item.metadata))
        target, _ = make_unique(target, (target,), taken, root, False)
        taken.add(target)
        item.files.append((fmt, target))
    if item.book.cover is not None and item.files:
        item.cover_target = cover_target(item.files[0][1], False, "jpg", taken, root)
        taken.add(item.cover_target)


def book_format(fmt: CalibreFormat) -> BookFormat:
    """BookDesk's name of a calibre format; one BookDesk has no reader for is kept as an ebook of that name."""
    return FORMATS.get(f".{fmt.format}") or BookFormat(fmt.format, "ebook")


def book_metadata(book: CalibreBook) -> BookMetadata:
    """What calibre says of a book, as what a file says of itself: the fields an import writes."""
    series = []
    if book.series:
        label = f"{book.series_index:g}" if book.series_index is not None else ""
        series.append(SeriesRef(book.series, label, book.series_index))
    return BookMetadata(
        title=book.title, contributors=[Contributor(a.name, "author", sort) for a, sort in author_sorts(book)],
        series=series, identifiers=identifiers(book), language=book.languages[0] if book.languages else None,
        publisher=book.publisher, published=book.pubdate, description=book.comments, subjects=list(book.tags))


def author_sorts(book: CalibreBook) -> list[tuple[CalibreAuthor, str]]:
    """Each author with the sort BookDesk keeps for them: the book's author sort (what calibre shows, often set
    by hand on the book, "Le Guin, Ursula K. & Brontë, Jørgen") split by author where it names as many, else
    the author's own sort in calibre (made by calibre from the name unless edited in Manage authors)."""
    parts = [part.strip() for part in book.author_sort.split(" & ")] if book.author_sort else []
    if len(parts) != len(book.authors) or not all(parts):
        parts = [author.sort for author in book.authors]
    return list(zip(book.authors, parts, strict=True))


def identifiers(book: CalibreBook) -> dict[str, str]:
    """calibre's identifiers as BookDesk keeps them (a valid ISBN as its 13 digits, calibre's "amazon" as
    an ASIN), the others as they are; and calibre's own id and uuid."""
    found: dict[str, str] = {}
    for scheme, value in book.identifiers.items():
        if scheme == "isbn" and normalise_isbn(value):
            found["isbn"] = normalise_isbn(value)  # type: ignore[assignment]
        elif scheme in ("amazon", "asin", "mobi-asin") and normalise_asin(value):
            found.setdefault("asin", normalise_asin(value))  # type: ignore[arg-type]
        else:
            found.setdefault(scheme[:_SCHEME_LENGTH], value)
    found[CALIBRE_ID] = str(book.id)
    if book.uuid:
        found[CALIBRE_UUID] = book.uuid
    return found
