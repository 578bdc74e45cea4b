"""Series are known by name and author: the rule, and the writers that follow it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bookdesk.data.catalog_rows import UNKNOWN_AUTHOR, Contributor, NewWork, SeriesRef
from bookdesk.data.models import Series, SeriesEntry
from bookdesk.data.series_identity import people_keys, split_by_people
from bookdesk.data.work_repository import WorkRepository

# (the authors of each book of one series name, in the order they came) -> the series each book lands in,
# numbered in order of first appearance.
SPLITS = [
    ([["Ann Archer"], ["Ann Archer"]], [0, 0]),
    ([["Ann Archer"], ["Ben Bowman"]], [0, 1]),
    ([["Ann Archer"], ["Ann Archer", "Cy Cole"], ["Cy Cole", "Ann Archer"]], [0, 0, 0]),  # a co-author joins
    ([["Ann Archer"], ["Archer, Ann"], ["ANN ARCHER"]], [0, 0, 0]),  # one person however written
    ([[], []], [0, 0]),  # nobody named on any book: still one series
    ([[UNKNOWN_AUTHOR], ["Ann Archer"], ["Ben Bowman"]], [0, 0, 1]),  # the first author named takes it
    ([["Ann Archer"], []], [0, 0]),  # a book naming nobody joins the only series of its name
    ([["Ann Archer"], ["Ben Bowman"], []], [0, 1, 2]),  # ... but cannot choose between two
    ([["Ann Archer"], ["Ben Bowman"], [], []], [0, 1, 2, 2]),
]


@pytest.mark.parametrize(("authors", "expected"), SPLITS)
def test_which_series_each_book_of_a_name_lands_in(authors, expected):
    groups = split_by_people([people_keys(a) for a in authors])

    landed = {index: number for number, group in enumerate(groups) for index in group}
    assert [landed[i] for i in range(len(authors))] == expected


def _work(title: str, series: str, label: str, *authors: str) -> NewWork:
    return NewWork(title, [Contributor(a) for a in authors], series=[SeriesRef(series, label)])


def _series_of(catalog) -> dict[str, list[tuple[str, str]]]:
    """Series id -> the (title, label) of its books, by id, read back through the repository."""
    with catalog.read() as session:
        repo = WorkRepository(session)
        rows = session.execute(select(SeriesEntry.series_id, SeriesEntry.work_id).order_by(SeriesEntry.id)).all()
        found: dict[str, list[tuple[str, str]]] = {}
        for series_id, work_id in rows:
            detail = repo.detail(work_id)
            found.setdefault(series_id, []).append((detail.title, detail.series[0].label))
        return found


def test_two_authors_series_of_one_name_are_two_series_in_one_batch_and_across_batches(catalog):
    with catalog.write() as session:
        WorkRepository(session).add_many([
            _work("Ash", "Archive Saga", "1", "Ann Archer"),
            _work("Bone", "Archive Saga", "1", "Ben Bowman"),
            _work("Cinder", "Archive Saga", "2", "Ann Archer", "Cy Cole"),
        ])
    with catalog.write() as session:
        WorkRepository(session).add(_work("Dust", "Archive Saga", "2", "Ben Bowman"))

    assert sorted(_series_of(catalog).values()) == [[("Ash", "1"), ("Cinder", "2")], [("Bone", "1"), ("Dust", "2")]]
    with catalog.read() as session:
        assert session.execute(select(Series.name)).scalars().all() == ["Archive Saga", "Archive Saga"]


def test_a_series_whose_books_name_nobody_stays_one_series_and_its_first_author_takes_it(catalog):
    with catalog.write() as session:
        repo = WorkRepository(session)
        repo.add_many([_work("One", "Nameless", "1"), _work("Two", "Nameless", "2", UNKNOWN_AUTHOR)])
        repo.add(_work("Three", "Nameless", "3", "Ann Archer"))
        repo.add(_work("Four", "Nameless", "4", "Ben Bowman"))

    assert sorted(_series_of(catalog).values()) == [[("Four", "4")], [("One", "1"), ("Two", "2"), ("Three", "3")]]


def test_a_series_ref_naming_its_series_by_id_goes_there_whoever_is_credited(catalog):
    with catalog.write() as session:
        repo = WorkRepository(session)
        [ash] = repo.add_many([_work("Ash", "Archive Saga", "1", "Ann Archer")])
        series_id = session.execute(select(SeriesEntry.series_id).where(SeriesEntry.work_id == ash)).scalar_one()
        repo.add(NewWork("Ember", [Contributor("A. Archer-Smith")],
                         series=[SeriesRef("Archive Saga", "2", series_id=series_id)], status="wanted"))

    assert list(_series_of(catalog).values()) == [[("Ash", "1"), ("Ember", "2")]]


def test_editing_a_books_series_keeps_it_with_its_authors_series(catalog):
    with catalog.write() as session:
        repo = WorkRepository(session)
        ids = repo.add_many([_work("Ash", "Archive Saga", "1", "Ann Archer"),
                             _work("Bone", "Archive Saga", "1", "Ben Bowman"),
                             NewWork("Cinder", [Contributor("Ann Archer")])])
        repo.set_field(ids[2], "series", [{"name": "Archive Saga", "label": "2"}], source="user",
                       correlation_id=None)

    assert sorted(_series_of(catalog).values()) == [[("Ash", "1"), ("Cinder", "2")], [("Bone", "1")]]
