"""Correcting metadata: every change is recorded with its source and job, and can be undone."""

from __future__ import annotations

import pytest

from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import UsageError

CID = "BD-7K3Q9"


@pytest.fixture
def book(catalog) -> int:
    with catalog.write() as session:
        return WorkRepository(session).add(NewWork(
            "A Wizard of Earthsea", [Contributor("Ursula Le Guin"), Contributor("Ruth Robbins", "illustrator")],
            series=[SeriesRef("Earthsea", "1")], tags=["Fantasy"]))


def edit(catalog, work_id, field, value, source="user", cid=CID):
    with catalog.write() as session:
        return WorkRepository(session).set_field(work_id, field, value, source=source, correlation_id=cid)


def read(catalog, work_id):
    with catalog.read() as session:
        return WorkRepository(session).detail(work_id)


def found(catalog, text):
    with catalog.read() as session:
        return WorkRepository(session).ids(text)


def test_a_correction_is_recorded_with_old_and_new_value_source_and_job(catalog, book):
    change = edit(catalog, book, "title", "  A Wizard  of Earthsea: 50th Anniversary ")

    assert read(catalog, book).title == "A Wizard of Earthsea: 50th Anniversary"
    with catalog.read() as session:
        [recorded] = WorkRepository(session).history(book)
    assert recorded == change
    assert (recorded.field, recorded.old_value, recorded.new_value) == (
        "title", "A Wizard of Earthsea", "A Wizard of Earthsea: 50th Anniversary")
    assert (recorded.source, recorded.correlation_id, recorded.undone) == ("user", CID, False)


def test_setting_a_field_to_the_value_it_has_records_nothing(catalog, book):
    assert edit(catalog, book, "title", "A Wizard of Earthsea") is None
    assert edit(catalog, book, "tags", ["Fantasy", " Fantasy "]) is None
    with catalog.read() as session:
        assert WorkRepository(session).history(book) == []


def test_undo_puts_the_old_value_back_and_is_itself_recorded(catalog, book):
    change = edit(catalog, book, "title", "Wizard")
    with catalog.write() as session:
        undo = WorkRepository(session).undo(change.id, correlation_id="BD-UND00")

    assert read(catalog, book).title == "A Wizard of Earthsea"
    assert found(catalog, "wizard earthsea") == [book]
    assert (undo.old_value, undo.new_value, undo.source, undo.correlation_id) == (
        "Wizard", "A Wizard of Earthsea", "undo", "BD-UND00")
    with catalog.read() as session:
        history = WorkRepository(session).history(book)
    assert [(c.id, c.undone) for c in history] == [(undo.id, False), (change.id, True)]
    with catalog.write() as session:
        assert WorkRepository(session).undo(change.id, correlation_id=None) is None  # not twice
    assert read(catalog, book).title == "A Wizard of Earthsea"


def test_a_locked_field_is_kept_from_providers_but_the_user_may_still_change_it(catalog, book):
    with catalog.write() as session:
        WorkRepository(session).set_locked(book, "title", True)

    assert edit(catalog, book, "title", "Wizard of Earthsea (Provider Edition)", source="openlibrary") is None
    assert read(catalog, book).title == "A Wizard of Earthsea"
    assert edit(catalog, book, "language", "en", source="openlibrary") is not None  # other fields are open

    assert edit(catalog, book, "title", "A Wizard of Earthsea (Mine)", source="user") is not None
    assert read(catalog, book).title == "A Wizard of Earthsea (Mine)"
    assert read(catalog, book).locked_fields == frozenset({"title"})


def test_undo_works_on_a_field_locked_after_the_change(catalog, book):
    change = edit(catalog, book, "title", "Typo Wizard")
    with catalog.write() as session:
        repo = WorkRepository(session)
        repo.set_locked(book, "title", True)
        assert repo.undo(change.id, correlation_id=None) is not None
    assert read(catalog, book).title == "A Wizard of Earthsea"


def test_editing_the_authors_updates_the_list_the_search_and_the_sort(catalog, book):
    edit(catalog, book, "authors", ["Ursula K. Le Guin", "Ursula K. Le Guin", "Charles Vess"])

    detail = read(catalog, book)
    assert detail.authors == ["Ursula K. Le Guin", "Charles Vess"]
    assert [c.name for c in detail.contributors if c.role == "illustrator"] == ["Ruth Robbins"]
    with catalog.read() as session:
        repo = WorkRepository(session)
        [row] = repo.rows([book])
        assert row.authors == "Ursula K. Le Guin & Charles Vess"
    assert found(catalog, "vess") == [book]
    assert found(catalog, "robbins") == [book]  # illustrators are people too
    edit(catalog, book, "authors", ["Charles Vess"])
    assert found(catalog, "guin") == []


def test_editing_series_and_tags_shows_in_the_list_and_in_search(catalog, book):
    edit(catalog, book, "series", [{"name": "The Earthsea Cycle", "label": "1"}])
    edit(catalog, book, "tags", ["Classic", "Fantasy", "Classic"])
    with catalog.read() as session:
        [row] = WorkRepository(session).rows([book])
    assert row.series == "The Earthsea Cycle #1"
    assert read(catalog, book).tags == ("Classic", "Fantasy")
    assert found(catalog, "cycle classic") == [book]


@pytest.mark.parametrize(("field", "value"), [
    ("title", "   "), ("status", "stolen"), ("rating", 11), ("colour", "blue"),
])
def test_impossible_values_are_refused_and_nothing_is_recorded(catalog, book, field, value):
    with pytest.raises(UsageError):
        edit(catalog, book, field, value)
    with catalog.read() as session:
        assert WorkRepository(session).history(book) == []
    assert read(catalog, book).title == "A Wizard of Earthsea"
