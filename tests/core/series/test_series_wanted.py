"""Turning missing books into wanted works: once per book, with what the listings know, and back."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from series_builders import TODAY, add_books, listed, listing
from sqlalchemy import func, select

from bookdesk.core.library_service import LibraryService
from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.service import SeriesService
from bookdesk.data.models import Work
from bookdesk.errors import NotFoundError, UsageError


@pytest.fixture
def series_service(catalog):
    service = SeriesService(catalog, GapPolicy(today=TODAY))
    yield service
    service.close()


def wayfarers_listing():
    return listing("hardcover",
                   listed("1"),
                   listed("2", "A Closed and Common Orbit", authors=["Becky Chambers"], release_date=date(2016, 10, 20),
                          identifiers={"isbn": "9780062569400"}, cover_url="https://covers.example/2.jpg",
                          language="en"),
                   listed("3"),
                   listed("4", "The Galaxy, and the Ground Within", release_date=date(2030, 2, 16)),
                   name="Wayfarers", total=4)


def test_wanting_the_missing_books_makes_wanted_works_with_what_the_listing_knows(catalog, series_service):
    add_books(catalog, "Wayfarers", "1", "3", author="Becky Chambers")
    series_id = series_service.series_id("Wayfarers")
    series_service.record_listings(series_id, [wayfarers_listing()])

    [work_id] = series_service.want_missing(series_id)

    book = LibraryService(catalog).detail(work_id)
    assert (book.title, book.status, book.authors, book.first_published, book.language) == \
        ("A Closed and Common Orbit", "wanted", ["Becky Chambers"], "2016-10-20", "en")
    assert [(s.name, s.label) for s in book.series] == [("Wayfarers", "2")]
    assert book.identifiers == {"isbn": "9780062569400"}
    [wanted] = series_service.wanted()
    assert (wanted.id, wanted.title, wanted.series, wanted.media_kinds, wanted.release_date, wanted.cover_url) == \
        (work_id, "A Closed and Common Orbit", (("Wayfarers", "2"),), (), date(2016, 10, 20),
         "https://covers.example/2.jpg")
    gaps = series_service.series_gaps(series_id)
    assert gaps.overall.missing_labels == ["2"] and gaps.overall.missing[0].wanted_work_id == work_id
    assert [b.label for b in gaps.upcoming] == ["4"]  # not out yet: not wanted by want_missing


def test_wanting_twice_never_makes_two_wanted_works_for_one_position(catalog, series_service):
    add_books(catalog, "Wayfarers", "1", "4", author="Becky Chambers")
    series_id = series_service.series_id("Wayfarers")

    first = series_service.want_missing(series_id)
    again = series_service.want_missing(series_id)
    one_more = series_service.want_position(series_id, "2")

    assert len(first) == 2 and again == [] and one_more in first
    with catalog.read() as session:
        assert session.execute(select(func.count()).where(Work.status == "wanted")).scalar() == 2
    titles = sorted(b.title for b in series_service.wanted())
    assert titles == ["Wayfarers #2", "Wayfarers #3"]  # the library alone knows no titles
    assert {b.authors for b in series_service.wanted()} == {"Becky Chambers"}


def test_an_owned_ebook_whose_audiobook_is_wanted_is_marked_not_copied(catalog, series_service):
    ids = add_books(catalog, "Wayfarers", ("1", "ebook,audiobook"), ("2", "ebook"), ("3", "audiobook"))
    series_id = series_service.series_id("Wayfarers")

    changed = series_service.want_missing(series_id, "audiobook")

    assert changed == [ids["2"]]
    assert series_service.want_missing(series_id, "audiobook") == []
    [wanted] = series_service.wanted()
    assert (wanted.id, wanted.status, wanted.media_kinds) == (ids["2"], "owned", ("audiobook",))
    assert series_service.want_missing(series_id, "ebook") == [ids["3"]]
    assert {(b.id, b.media_kinds) for b in series_service.wanted()} == {(ids["2"], ("audiobook",)),
                                                                       (ids["3"], ("ebook",))}
    with catalog.read() as session:
        assert session.execute(select(func.count()).select_from(Work)).scalar() == 3  # no new works


def test_a_wanted_placeholder_for_one_kind_takes_another_kind_on_the_same_work(catalog, series_service):
    add_books(catalog, "Wayfarers", ("1", "ebook,audiobook"), ("3", "ebook,audiobook"))
    series_id = series_service.series_id("Wayfarers")

    [created] = series_service.want_missing(series_id, "ebook")
    assert series_service.want_missing(series_id, "audiobook") == [created]
    assert series_service.want_missing(series_id) == []

    [wanted] = series_service.wanted()
    assert wanted.id == created and set(wanted.media_kinds) == {"ebook", "audiobook"}


def test_unwanting_a_placeholder_removes_it_and_the_book_is_missing_again(catalog, series_service):
    add_books(catalog, "Wayfarers", "1", "3")
    series_id = series_service.series_id("Wayfarers")
    [work_id] = series_service.want_missing(series_id)

    series_service.unwant(work_id)

    assert series_service.wanted() == []
    gaps = series_service.series_gaps(series_id)
    assert gaps.overall.missing_labels == ["2"] and gaps.overall.missing[0].wanted_work_id is None
    with pytest.raises(NotFoundError):
        series_service.unwant(series_service.want_position(series_id, "2") + 1000)  # not there at all
    assert len(series_service.wanted()) == 1


def test_unwanting_another_kind_of_an_owned_book_keeps_the_book(catalog, series_service):
    ids = add_books(catalog, "Wayfarers", ("1", "ebook"))
    series_id = series_service.series_id("Wayfarers")
    series_service.want_missing(series_id, "audiobook")

    series_service.unwant(ids["1"])

    assert series_service.wanted() == []
    assert LibraryService(catalog).detail(ids["1"]).status == "owned"
    with pytest.raises(UsageError):
        series_service.unwant(ids["1"])


def test_one_upcoming_book_can_be_wanted_with_its_release_date(catalog, series_service):
    add_books(catalog, "Wayfarers", "1", "2", "3")
    series_id = series_service.series_id("Wayfarers")
    series_service.record_listings(series_id, [wayfarers_listing()])

    work_id = series_service.want_position(series_id, "Book 4")

    [wanted] = series_service.wanted()
    assert (wanted.id, wanted.title, wanted.release_date) == (work_id, "The Galaxy, and the Ground Within",
                                                              date(2030, 2, 16))
    gaps = series_service.series_gaps(series_id)
    assert gaps.complete and [b.wanted_work_id for b in gaps.upcoming] == [work_id]
    with pytest.raises(UsageError):
        series_service.want_position(series_id, "1")  # owned already
    with pytest.raises(UsageError):
        series_service.want_missing(series_id, "paperback")


def test_monitored_series_and_authors_have_their_missing_books_wanted(catalog, series_service):
    add_books(catalog, "Watched", "1", "3", author="Ann Author")
    add_books(catalog, "By A Watched Author", "2", author="Bea Writer")
    add_books(catalog, "Nobody Watches", "1", "3", author="Cy Other")
    add_books(catalog, "Watched But Ignored", "1", "3", author="Cy Other")
    series_service.set_monitored(series_service.series_id("Watched"))
    ignored = series_service.series_id("Watched But Ignored")
    series_service.set_monitored(ignored)
    series_service.ignore_series(ignored)
    bea = next(a for a in series_service.authors() if a.name == "Bea Writer")
    series_service.set_author_monitored(bea.id)

    created = series_service.want_monitored()

    assert sorted((w.series[0][0], w.series[0][1]) for w in series_service.wanted()) == \
        [("By A Watched Author", "1"), ("Watched", "2")]
    assert len(created) == 2 and series_service.want_monitored() == []


def test_after_any_change_the_wanted_list_is_what_a_fresh_service_reads(catalog, series_service):
    import random

    rng = random.Random(5)
    owned = list(add_books(catalog, "Wayfarers", "1", "3").values())
    series_id = series_service.series_id("Wayfarers")
    series_service.record_listings(series_id, [wayfarers_listing()])
    library = LibraryService(catalog)
    series_service.wanted()

    def wanted_ids() -> list[int]:
        return [book.id for book in series_service.wanted() if book.status == "wanted"]

    changes = [
        lambda: library.edit(rng.choice(owned), "title", f"Renamed {rng.random():.6f}"),  # not a wanted book
        lambda: series_service.want_missing(series_id),
        lambda: wanted_ids() and library.edit(rng.choice(wanted_ids()), "title", f"Wanted {rng.random():.6f}"),
        lambda: wanted_ids() and series_service.unwant(rng.choice(wanted_ids())),
        lambda: add_books(catalog, "Kindred", (str(rng.randint(1, 9)), "", "wanted")),
        lambda: series_service.want_position(series_id, "4", rng.choice([None, "ebook", "audiobook"])),
    ]
    for _ in range(20):
        with contextlib.suppress(UsageError):  # wanting what is wanted already, say
            rng.choice(changes)()
        fresh = SeriesService(catalog, GapPolicy(today=TODAY))
        try:
            assert series_service.wanted() == fresh.wanted()
        finally:
            fresh.close()
