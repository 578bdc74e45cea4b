"""Authors: owned and missing per media kind, aliases merged and split, monitoring."""

from __future__ import annotations

import pytest
from series_builders import TODAY, add_books, listed, listing

from bookdesk.core.library_service import LibraryService
from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.service import SeriesService
from bookdesk.data.models import AuthorAlias
from bookdesk.errors import NotFoundError, UsageError


@pytest.fixture
def series_service(catalog):
    service = SeriesService(catalog, GapPolicy(today=TODAY))
    yield service
    service.close()


def by_name(service: SeriesService) -> dict:
    return {a.name: a for a in service.authors()}


def test_an_author_has_owned_books_per_media_kind_and_the_missing_books_of_their_series(catalog, series_service):
    add_books(catalog, "Earthsea", ("1", "ebook,audiobook"), ("2", "ebook"), ("4", "ebook"), author="Ursula Le Guin")
    add_books(catalog, "Standalones", ("Prequel", "audiobook"), ("Side", "", "wanted"), author="Ursula Le Guin")

    ursula = by_name(series_service)["Ursula Le Guin"]

    assert (ursula.overall.owned, ursula.ebook.owned, ursula.audiobook.owned) == (4, 3, 2)
    assert (ursula.overall.missing, ursula.ebook.missing, ursula.audiobook.missing) == (1, 1, 3)
    assert ursula.overall.status == "partial" and ursula.overall.completion == 80.0
    assert ursula.wanted == 1 and ursula.series == 2


def test_a_missing_book_a_listing_credits_to_someone_else_counts_for_them(catalog, series_service):
    add_books(catalog, "Shared World", "1", author="Ann Author")
    add_books(catalog, "Guest Stories", "1", author="Guest Writer")
    series_id = series_service.series_id("Shared World")
    series_service.record_listings(series_id, [listing(
        "hardcover", listed("1"), listed("2", authors=["Guest Writer"]), listed("3"), name="Shared World")])

    people = by_name(series_service)

    assert people["Ann Author"].overall.missing == 1  # book 3: no author given, so the series' own
    assert people["Guest Writer"].overall.missing == 1  # book 2
    assert people["Guest Writer"].overall.status == "partial"


def test_an_ignored_series_counts_for_nobody(catalog, series_service):
    add_books(catalog, "Dropped", "1", "5", author="Ann Author")
    series_service.ignore_series(series_service.series_id("Dropped"))

    ann = by_name(series_service)["Ann Author"]

    assert ann.overall.missing == 0 and ann.overall.status == "complete"


def test_an_author_with_nothing_owned_in_a_kind_is_incomplete_there(catalog, series_service):
    add_books(catalog, "Quiet", ("1", "ebook"), ("2", "ebook"), author="Ann Author")

    ann = by_name(series_service)["Ann Author"]

    assert ann.audiobook.owned == 0 and ann.audiobook.missing == 2 and ann.audiobook.status == "incomplete"
    assert ann.ebook.status == "complete"


def test_merging_two_names_of_one_person_moves_every_book_and_keeps_the_alias(catalog, series_service):
    mine = add_books(catalog, "Discworld", "1", "2", author="Terry Pratchett")
    theirs = add_books(catalog, "Discworld", "3", author="T. Pratchett")
    add_books(catalog, "Good Omens", "1", author="T. Pratchett")  # credits both below
    people = by_name(series_service)
    keep, other = people["Terry Pratchett"].id, people["T. Pratchett"].id
    library = LibraryService(catalog)
    both = library.detail(theirs["3"]).id
    library.edit(both, "authors", ["T. Pratchett", "Terry Pratchett"])

    moved = series_service.merge_authors(keep, other)

    assert both in moved and theirs["3"] in moved
    people = by_name(series_service)
    assert "T. Pratchett" not in people
    terry = people["Terry Pratchett"]
    assert terry.aliases == ("T. Pratchett",) and terry.overall.owned == 4
    assert library.detail(both).authors == ["Terry Pratchett"]  # one credit, not two
    assert library.rows([theirs["3"]])[0].authors == "Terry Pratchett"
    assert set(library.work_ids("T. Pratchett")) >= {mine["1"], mine["2"], theirs["3"]}  # the alias finds them
    with pytest.raises(UsageError):
        series_service.merge_authors(keep, keep)
    with pytest.raises(NotFoundError):
        series_service.merge_authors(keep, other)  # merged already


def test_an_alias_that_is_another_person_is_split_off_with_their_books(catalog, series_service):
    ids = add_books(catalog, "Mysteries", "1", "2", author="Robert Galbraith")
    add_books(catalog, "Wizards", "1", author="Joanne Rowling")
    people = by_name(series_service)
    series_service.merge_authors(people["Joanne Rowling"].id, people["Robert Galbraith"].id)
    joanne = by_name(series_service)["Joanne Rowling"].id

    robert = series_service.split_alias(joanne, "Robert Galbraith", [ids["1"], ids["2"]])

    people = by_name(series_service)
    assert people["Robert Galbraith"].id == robert and people["Robert Galbraith"].overall.owned == 2
    assert people["Joanne Rowling"].aliases == () and people["Joanne Rowling"].overall.owned == 1
    library = LibraryService(catalog)
    assert library.detail(ids["1"]).authors == ["Robert Galbraith"]
    with catalog.read() as session:
        assert session.query(AuthorAlias).count() == 0
    with pytest.raises(NotFoundError):
        series_service.split_alias(joanne, "Nobody")


def test_monitoring_an_author_is_stored_and_shown(catalog, series_service):
    add_books(catalog, "Quiet", "1", author="Ann Author")
    ann = by_name(series_service)["Ann Author"]

    series_service.set_author_monitored(ann.id)
    assert by_name(series_service)["Ann Author"].monitored is True
    series_service.set_author_monitored(ann.id, False)
    assert by_name(series_service)["Ann Author"].monitored is False
    with pytest.raises(NotFoundError):
        series_service.set_author_monitored(99999)


def test_after_any_change_the_authors_are_what_a_fresh_service_works_out(catalog, series_service):
    import random

    rng = random.Random(14)
    people = ["Ann Author", "Ben Writer", "Cy Scribe"]
    books: list[int] = []
    for name in ("Earthsea", "Dune", "Solaris"):
        books += add_books(catalog, name, "1", ("2", "ebook,audiobook"), "4", author=rng.choice(people)).values()
    library = LibraryService(catalog)
    series_service.authors()
    changes = [
        lambda: library.edit(rng.choice(books), "title", f"Renamed {rng.random():.6f}"),  # nothing authors read
        lambda: library.edit(rng.choice(books), "authors", [rng.choice(people)]),
        lambda: books.extend(add_books(catalog, rng.choice(["Dune", "Kindred"]), str(rng.randint(5, 9)),
                                       author=rng.choice(people)).values()),
        lambda: series_service.record_listings(series_service.series_id("Earthsea"), [
            listing("hardcover", *(listed(str(n), authors=[rng.choice(people)]) for n in range(1, rng.randint(5, 8))),
                    name="Earthsea")]),
        lambda: series_service.ignore_series(series_service.series_id("Solaris"), rng.random() < 0.5),
        lambda: series_service.set_author_monitored(rng.choice(series_service.authors()).id, rng.random() < 0.5),
        lambda: add_books(catalog, "Dune", (str(rng.randint(10, 12)), "", "wanted"), author=rng.choice(people)),
    ]
    for _ in range(25):
        rng.choice(changes)()
        fresh = SeriesService(catalog, GapPolicy(today=TODAY))
        try:
            assert series_service.authors() == fresh.authors()
        finally:
            fresh.close()
