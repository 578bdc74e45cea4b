"""The library list in every order a person can click, and rows handed back in the order asked."""

from __future__ import annotations

import pytest

from bookdesk.data.catalog_rows import Contributor, NewFile, NewWork, SeriesRef
from bookdesk.data.work_listing import SORT_COLUMNS
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import UsageError


def _file(name: str, fmt: str, kind: str = "ebook") -> NewFile:
    return NewFile(f"x/{name}.{fmt}", fmt, kind, 100, 0.0, name.encode().hex().ljust(64, "0")[:64])


@pytest.fixture
def shelf(catalog) -> dict[str, int]:
    books = {  # added in this order
        "zebra": NewWork("The Zebra Book", [Contributor("Anne Able")], series=[SeriesRef("Beta", "2")],
                         first_published="2001", files=[_file("zebra", "epub")]),
        "apple": NewWork("Apple Pie", [Contributor("Zed Zulu")], status="wanted", first_published="1999",
                         files=[_file("apple", "pdf")]),
        "orange": NewWork("an Orange", [Contributor("Émile Brun")], series=[SeriesRef("The Alpha Files", "1")],
                          status="ignored", files=[_file("orange", "m4b", "audiobook")]),
        "mango": NewWork("Mango", [Contributor("Carl Cole")], series=[SeriesRef("Beta", "1")],
                         first_published="2010", files=[_file("mango", "epub")]),
    }
    with catalog.write() as session:
        repo = WorkRepository(session)
        return {key: repo.add(work) for key, work in books.items()}


ASCENDING = {
    "title": ["apple", "mango", "orange", "zebra"],  # "The" and "an" are not where a title sorts
    "authors": ["zebra", "orange", "mango", "apple"],  # Able, Brun (accent folded), Cole, Zulu
    "series": ["apple", "orange", "mango", "zebra"],  # none, Alpha (not "The"), Beta 1, Beta 2
    "formats": ["zebra", "mango", "orange", "apple"],  # EPUB, EPUB, M4B, PDF; ties by when added
    "status": ["orange", "zebra", "mango", "apple"],  # ignored, owned, owned, wanted
    "added": ["zebra", "apple", "orange", "mango"],
    "published": ["orange", "apple", "zebra", "mango"],  # unknown first, then 1999, 2001, 2010
    "read_state": ["zebra", "apple", "orange", "mango"],  # all unread: by when added
    "rating": ["zebra", "apple", "orange", "mango"],  # none rated: by when added
    "on_server": ["zebra", "apple", "orange", "mango"],  # none on an Audiobookshelf server: by when added
}


def test_the_expected_orders_cover_every_sort_column():
    assert set(ASCENDING) == set(SORT_COLUMNS)


@pytest.mark.parametrize("column", sorted(SORT_COLUMNS))
def test_sorting_by_a_column_orders_the_books_both_ways(catalog, shelf, column):
    by_id = {v: k for k, v in shelf.items()}
    with catalog.read() as session:
        repo = WorkRepository(session)
        ascending = [by_id[i] for i in repo.ids(sort=column)]
        descending = [by_id[i] for i in repo.ids(sort=column, descending=True)]
    assert ascending == ASCENDING[column]
    assert descending == list(reversed(ASCENDING[column]))


def test_sorting_works_together_with_a_search(catalog, shelf):
    with catalog.read() as session:
        ids = WorkRepository(session).ids("beta", sort="series", descending=True)
    assert ids == [shelf["zebra"], shelf["mango"]]


@pytest.mark.parametrize("column", SORT_COLUMNS)
def test_a_search_keeps_the_order_of_every_sort_column_both_ways(catalog, shelf, column):
    # "b" finds The Zebra Book, Émile Brun's an Orange and Mango of Beta: every book but Apple Pie
    by_id = {work_id: key for key, work_id in shelf.items()}
    with catalog.read() as session:
        repo = WorkRepository(session)
        ascending = [by_id[i] for i in repo.ids("b", sort=column)]
        descending = [by_id[i] for i in repo.ids("b", sort=column, descending=True)]
    expected = [key for key in ASCENDING[column] if key != "apple"]
    assert ascending == expected
    assert descending == list(reversed(expected))


def test_sorting_by_an_unknown_column_says_which_ones_exist(catalog, shelf):
    with catalog.read() as session, pytest.raises(UsageError, match="title"):
        WorkRepository(session).ids(sort="colour")


def test_rows_come_back_in_the_order_of_the_ids_asked_for(catalog, shelf):
    wanted = [shelf["mango"], 9999, shelf["zebra"], shelf["apple"]]
    with catalog.read() as session:
        rows = WorkRepository(session).rows(wanted)
    assert [r.id for r in rows] == [shelf["mango"], shelf["zebra"], shelf["apple"]]  # 9999 is not there
    mango, zebra, apple = rows
    assert (mango.title, mango.authors, mango.series, mango.formats) == ("Mango", "Carl Cole", "Beta #1", "EPUB")
    assert (zebra.series, apple.status, apple.first_published) == ("Beta #2", "wanted", "1999")


def test_rows_of_many_ids_keep_their_order_across_query_chunks(catalog):
    with catalog.write() as session:
        repo = WorkRepository(session)
        ids = [repo.add(NewWork(f"Book {n:04d}")) for n in range(1000)]
    shuffled = ids[::-2] + ids[::2]
    with catalog.read() as session:
        assert [r.id for r in WorkRepository(session).rows(shuffled)] == shuffled
