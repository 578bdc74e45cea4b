"""The people of a book by hand: every role (author, narrator, editor, translator) and how each name
sorts, as one field that is recorded, sorted by and undone like the others."""

from __future__ import annotations

import pytest

from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import UsageError

CID = "BD-PE0PL"


@pytest.fixture
def books(catalog) -> tuple[int, int]:
    with catalog.write() as session:
        repo = WorkRepository(session)
        return (repo.add(NewWork("The Tale of Genji", [Contributor("Murasaki Shikibu")])),
                repo.add(NewWork("The Diary of Lady Murasaki", [Contributor("Murasaki Shikibu")])))


def edit(catalog, work_id, field, value, source="user"):
    with catalog.write() as session:
        return WorkRepository(session).set_field(work_id, field, value, source=source, correlation_id=CID)


def people(catalog, work_id):
    with catalog.read() as session:
        return WorkRepository(session).detail(work_id).contributors


def order(catalog, sort="authors"):
    with catalog.read() as session:
        repo = WorkRepository(session)
        return [row.title for row in repo.rows(repo.ids(sort=sort))]


GENJI = [{"name": "Murasaki Shikibu", "role": "author", "sort_name": "Murasaki Shikibu"},
         {"name": "Royall Tyler", "role": "translator", "sort_name": ""},
         {"name": "Haruo Shirane", "role": "editor", "sort_name": "Shirane, H."},
         {"name": "Jennifer Ehle", "role": "narrator", "sort_name": ""}]


def test_people_with_every_role_and_their_sort_names_are_kept_in_order(catalog, books):
    genji, _ = books
    change = edit(catalog, genji, "people", GENJI)

    assert people(catalog, genji) == (
        Contributor("Murasaki Shikibu", "author", "Murasaki Shikibu"),
        Contributor("Royall Tyler", "translator", "Tyler, Royall"),
        Contributor("Haruo Shirane", "editor", "Shirane, H."),
        Contributor("Jennifer Ehle", "narrator", "Ehle, Jennifer"))
    assert change.field == "people"
    assert change.old_value == [{"name": "Murasaki Shikibu", "role": "author", "sort_name": "Shikibu, Murasaki"}]


def test_a_sort_name_set_on_one_book_sorts_every_book_of_that_person(catalog, books):
    with catalog.write() as session:
        WorkRepository(session).add(NewWork("A Personal Matter", [Contributor("Kenzaburō Ōe")]))
    assert order(catalog) == ["A Personal Matter", "The Diary of Lady Murasaki", "The Tale of Genji"]  # Ōe < Shikibu

    edit(catalog, books[0], "people", GENJI)  # Murasaki Shikibu sorts as "Murasaki Shikibu" now

    assert order(catalog) == ["The Diary of Lady Murasaki", "The Tale of Genji", "A Personal Matter"]


def test_undoing_a_change_of_people_brings_back_the_roles_and_the_sort_names(catalog, books):
    genji, _ = books
    change = edit(catalog, genji, "people", GENJI)
    with catalog.write() as session:
        WorkRepository(session).undo(change.id, correlation_id="BD-UND00")

    assert people(catalog, genji) == (Contributor("Murasaki Shikibu", "author", "Shikibu, Murasaki"),)
    assert order(catalog) == ["The Diary of Lady Murasaki", "The Tale of Genji"]


def test_the_authors_field_keeps_editors_and_translators(catalog, books):
    genji, _ = books
    edit(catalog, genji, "people", GENJI)
    edit(catalog, genji, "authors", ["Lady Murasaki"])

    assert [(c.name, c.role) for c in people(catalog, genji)] == [
        ("Lady Murasaki", "author"), ("Royall Tyler", "translator"), ("Haruo Shirane", "editor"),
        ("Jennifer Ehle", "narrator")]


def test_a_locked_list_of_people_is_kept_from_providers(catalog, books):
    genji, _ = books
    with catalog.write() as session:
        WorkRepository(session).set_locked(genji, "people", True)

    assert edit(catalog, genji, "people", GENJI, source="openlibrary") is None
    assert edit(catalog, genji, "people", GENJI) is not None


def test_a_person_with_an_unknown_role_is_refused_and_nothing_changes(catalog, books):
    with pytest.raises(UsageError):
        edit(catalog, books[0], "people", [{"name": "Royall Tyler", "role": "cook"}])
    assert people(catalog, books[0]) == (Contributor("Murasaki Shikibu", "author", "Shikibu, Murasaki"),)


def test_rows_without_a_name_are_left_out(catalog, books):
    edit(catalog, books[0], "people", [*GENJI[:1], {"name": "  ", "role": "editor", "sort_name": ""}])
    assert people(catalog, books[0]) == (Contributor("Murasaki Shikibu", "author", "Murasaki Shikibu"),)


def test_locking_the_people_keeps_providers_from_the_authors_and_the_narrators_too(catalog, books):
    genji, _ = books
    with catalog.write() as session:
        WorkRepository(session).set_locked(genji, "people", True)

    assert edit(catalog, genji, "authors", ["Lady Murasaki"], source="openlibrary") is None
    assert edit(catalog, genji, "narrators", ["Jennifer Ehle"], source="audnexus") is None
    assert edit(catalog, genji, "authors", ["Lady Murasaki"]) is not None
