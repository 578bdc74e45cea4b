"""Which books the Library view lists: the books you have (not the wanted placeholders), narrowed to a
read state when asked, or the wanted placeholders alone; chosen in SQL, together with search and sort."""

from __future__ import annotations

import pytest

from bookdesk.data.catalog_rows import Contributor, NewFile, NewWork
from bookdesk.data.work_listing import SHELVES
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import UsageError


def _file(name: str) -> NewFile:
    return NewFile(f"x/{name}.epub", "epub", "ebook", 100, 0.0, name.encode().hex().ljust(64, "0")[:64])


@pytest.fixture
def books(catalog) -> dict[str, int]:
    made = {
        "dune": NewWork("Dune", [Contributor("Frank Herbert")], files=[_file("dune")]),
        "emma": NewWork("Emma", [Contributor("Jane Austen")], files=[_file("emma")]),
        "sula": NewWork("Sula", [Contributor("Toni Morrison")], files=[_file("sula")]),
        "wish": NewWork("Dune Messiah", [Contributor("Frank Herbert")], status="wanted"),
        "nope": NewWork("Children of Dune", [Contributor("Frank Herbert")], status="ignored"),
    }
    with catalog.write() as session:
        repo = WorkRepository(session)
        ids = {key: repo.add(work) for key, work in made.items()}
        repo.set_field(ids["emma"], "read_state", "finished", source="user", correlation_id="BD-T1")
        repo.set_field(ids["sula"], "read_state", "reading", source="user", correlation_id="BD-T1")
        repo.set_field(ids["emma"], "rating", 8, source="user", correlation_id="BD-T1")
    return ids


def _names(catalog, ids_of: dict[str, int], **kwargs) -> list[str]:  # noqa: ANN001
    by_id = {v: k for k, v in ids_of.items()}
    with catalog.read() as session:
        return [by_id[i] for i in WorkRepository(session).ids(**kwargs)]


def test_every_work_is_listed_when_no_shelf_is_asked_for_as_bookdesk_list_does(catalog, books):
    assert sorted(_names(catalog, books)) == sorted(books)


def test_the_books_shelf_leaves_out_wanted_and_ignored_placeholders(catalog, books):
    assert _names(catalog, books, shelf="books") == ["dune", "emma", "sula"]
    with catalog.read() as session:
        assert WorkRepository(session).count("books") == 3
        assert WorkRepository(session).count() == 5


@pytest.mark.parametrize(("shelf", "expected"), [("unread", ["dune"]), ("reading", ["sula"]),
                                                 ("finished", ["emma"]), ("wanted", ["wish"])])
def test_each_shelf_lists_only_its_books(catalog, books, shelf, expected):
    assert _names(catalog, books, shelf=shelf) == expected


def test_a_shelf_works_together_with_a_search(catalog, books):
    assert _names(catalog, books, search="dune", shelf="books") == ["dune"]
    assert _names(catalog, books, search="dune", shelf="wanted") == ["wish"]
    assert _names(catalog, books, search="dune", shelf="finished") == []


def test_books_sort_by_read_state_and_by_rating(catalog, books):
    assert _names(catalog, books, shelf="books", sort="read_state") == ["emma", "sula", "dune"]  # f, r, u
    assert _names(catalog, books, shelf="books", sort="rating", descending=True)[0] == "emma"


def test_an_unknown_shelf_says_which_ones_exist(catalog, books):
    with catalog.read() as session, pytest.raises(UsageError, match="unread"):
        WorkRepository(session).ids(shelf="someday")
    assert "books" in SHELVES and "wanted" in SHELVES
