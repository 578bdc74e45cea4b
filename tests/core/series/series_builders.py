"""Small builders for the series tests: library entries, provider listings and real catalogs, in one line each."""

from __future__ import annotations

import itertools
from datetime import date

from bookdesk.core.series.gaps import KIND_BITS, GapPolicy, LibraryEntry, SeriesGaps, series_gaps
from bookdesk.core.series.listing import ListedBook, SeriesListing
from bookdesk.data.catalog import Catalog
from bookdesk.data.catalog_rows import Contributor, NewFile, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository
from bookdesk.vocabulary.positions import read_position

TODAY = date(2025, 6, 1)
_ids = itertools.count(1)
_FORMATS = {"ebook": "epub", "audiobook": "m4b"}


def entry(label: str, kinds: str = "ebook", status: str = "owned", *, wanted_kinds: str = "",
          published: str | None = None, work_id: int | None = None) -> LibraryEntry:
    """A series entry as the catalog stores it: "1-3" gets sort_key 1 and sort_key_end 3."""
    found = read_position(label)
    start, end = found.start, found.end
    bits = sum(KIND_BITS[k] for k in kinds.split(",") if k)
    return LibraryEntry(work_id or next(_ids), label, start, end, status, bits, wanted_kinds, published)


def listed(label: str, title: str | None = None, **fields: object) -> ListedBook:
    return ListedBook(title=title if title is not None else f"Book {label}", label=label, **fields)  # type: ignore[arg-type]


def listing(source: str, *books: ListedBook, total: int | None = None, name: str = "The Series",
            series_id: str | None = None) -> SeriesListing:
    return SeriesListing(source=source, series_name=name, provider_series_id=series_id, total_primary=total,
                         entries=list(books))


def numbered(source: str, count: int, total: int | None = None, name: str = "The Series",
             **fields: object) -> SeriesListing:
    """A listing of books 1..count, titled "Book N"."""
    return listing(source, *(listed(str(n), **fields) for n in range(1, count + 1)),
                   total=count if total is None else total, name=name)


def gaps_of(*entries: LibraryEntry, listings: tuple[SeriesListing, ...] | list[SeriesListing] = (),
            name: str = "The Series", **policy: object) -> SeriesGaps:
    policy.setdefault("today", TODAY)
    return series_gaps(1, name, entries, listings, GapPolicy(**policy))  # type: ignore[arg-type]


def add_books(catalog: Catalog, series: str, *specs: str | tuple, author: str = "Ann Author") -> dict[str, int]:
    """Add books of ``series`` to a real catalog. A spec is a label ("2"), or (label, kinds, status) with
    kinds like "ebook,audiobook" (files of those kinds) and status owned, wanted or ignored.
    Returns the work ids by label (the last one for a label given twice)."""
    works: list[NewWork] = []
    labels: list[str] = []
    for spec in specs:
        label, kinds, status = (spec, "ebook", "owned") if isinstance(spec, str) else (*spec, "owned")[:3]
        number = next(_ids)
        files = [NewFile(path=f"{series}/{label}-{number}.{_FORMATS[k]}", format=_FORMATS[k], media_kind=k, size=10,
                         mtime=0.0, content_hash=f"{number:064x}"[-64:] if k == "ebook" else f"a{number:063x}")
                 for k in kinds.split(",") if k]
        works.append(NewWork(title=f"{series} {label} ({number})", contributors=[Contributor(author)],
                             series=[SeriesRef(series, label)], status=status, files=files))
        labels.append(label)
    with catalog.write() as session:
        ids = WorkRepository(session).add_many(works)
    return dict(zip(labels, ids, strict=True))
