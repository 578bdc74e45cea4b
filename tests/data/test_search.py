"""Finding books the way people type: any case, no accents, word beginnings, ISBNs, series, tags."""

from __future__ import annotations

import pytest

from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository


@pytest.fixture
def shelf(catalog) -> dict[str, int]:
    books = {
        "wuthering": NewWork("Wuthering Heights", [Contributor("Emily Brontë")],
                             identifiers={"isbn": "9780141439556"}, tags=["Gothic", "Classics"]),
        "wildfell": NewWork("The Tenant of Wildfell Hall", [Contributor("Anne Brontë")], tags=["Classics"]),
        "wizard": NewWork("A Wizard of Earthsea", [Contributor("Ursula K. Le Guin")],
                          series=[SeriesRef("Earthsea Cycle", "1")], identifiers={"isbn": "9780547773742"}),
        "tombs": NewWork("The Tombs of Atuan", [Contributor("Ursula K. Le Guin")],
                         series=[SeriesRef("Earthsea Cycle", "2")]),
        "dune": NewWork("Dune", [Contributor("Frank Herbert")], tags=["Science Fiction"],
                        identifiers={"google": "B-1234-XYZ"}),
    }
    with catalog.write() as session:
        repo = WorkRepository(session)
        return {key: repo.add(work) for key, work in books.items()}


@pytest.fixture
def search(catalog, shelf):
    def run(text: str) -> set[str]:
        by_id = {v: k for k, v in shelf.items()}
        with catalog.read() as session:
            return {by_id[i] for i in WorkRepository(session).ids(text)}

    return run


def test_searching_without_accents_finds_names_with_them(search):
    assert search("bronte") == {"wuthering", "wildfell"}
    assert search("BRONTË") == {"wuthering", "wildfell"}
    assert search("emily bronte") == {"wuthering"}


def test_every_word_typed_must_match_the_beginning_of_a_word(search):
    assert search("wuth") == {"wuthering"}
    assert search("ear") == {"wizard", "tombs"}  # series "Earthsea", title "Earthsea"
    assert search("le gu wiz") == {"wizard"}
    assert search("thering") == set()  # the middle of a word is not a match
    assert search("dune bronte") == set()


def test_an_isbn_is_found_with_or_without_its_hyphens(search):
    assert search("9780141439556") == {"wuthering"}
    assert search("978-0-14-143955-6") == {"wuthering"}
    assert search("97801414") == {"wuthering"}  # a prefix while typing
    assert search("978-0-54") == {"wizard"}


def test_an_identifier_stored_with_hyphens_is_found_without_them(search):
    assert search("B1234XYZ") == {"dune"}
    assert search("B-1234") == {"dune"}


def test_books_are_found_by_their_series_and_their_tags(search):
    assert search("earthsea cycle") == {"wizard", "tombs"}
    assert search("classics") == {"wuthering", "wildfell"}
    assert search("science fiction") == {"dune"}


@pytest.mark.parametrize("typed", [
    '"', '""', "'", "*", "**", "AND", "OR", "NOT", "NEAR(", "NEAR(wuthering heights, 2)", "title:dune",
    "^dune", "-dune", "(", ")", "{title}: x", 'wuthering" OR "dune', "dune AND", "+", "\\", "%", "_",
    "Brontë*\"", "\x00", "🙂", "   ", "-9-", "978-", "-978-0", "ｄｕｎｅ", "x" * 2000,
])
def test_whatever_a_person_types_the_search_never_fails(search, typed):
    assert search(typed) <= {"wuthering", "wildfell", "wizard", "tombs", "dune"}


def test_operators_typed_as_words_are_searched_as_words(search):
    assert search('"dune"') == {"dune"}
    assert search("dune*") == {"dune"}
    assert search("NEAR(dune") == set()  # "near" is a word no book here has


def test_a_deleted_book_is_no_longer_found(catalog, shelf, search):
    with catalog.write() as session:
        WorkRepository(session).delete([shelf["dune"]])
    assert search("dune") == set()
    assert search("herbert") == set()


def test_letters_unicode_does_not_decompose_are_folded_too(catalog, search):
    with catalog.write() as session:
        repo = WorkRepository(session)
        jorgensen = repo.add(NewWork("Ærø Tales", [Contributor("Søren Jørgensen")]))
        lodz = repo.add(NewWork("Łódź by Night", [Contributor("Stanisław Lem")]))
    with catalog.read() as session:
        repo = WorkRepository(session)
        assert repo.ids("jorgensen") == [jorgensen]
        assert repo.ids("Jørgen") == [jorgensen]
        assert repo.ids("aero") == [jorgensen]
        assert repo.ids("lodz stanislaw") == [lodz]


def test_a_name_with_an_apostrophe_is_searched_as_one_name(catalog, search):
    with catalog.write() as session:
        repo = WorkRepository(session)
        obrien = repo.add(NewWork("The Things They Carried", [Contributor("Tim O'Brien")]))
        repo.add(NewWork("O Pioneers", [Contributor("Willa Cather")], tags=["Books"]))
    with catalog.read() as session:
        repo = WorkRepository(session)
        assert repo.ids("o'b") == [obrien]  # not "o" anywhere and "b" anywhere
        assert repo.ids("O’Brien") == [obrien]


def test_a_search_of_only_punctuation_shows_every_book(search, shelf):
    assert search("  - ' ") == set(shelf)


def test_the_series_filter_ignores_accents_and_case(catalog):
    from bookdesk.data.series_repository import SeriesRepository

    with catalog.write() as session:
        repo = WorkRepository(session)
        repo.add(NewWork("One", [Contributor("A")], series=[SeriesRef("Córdoba Mysteries", "1")]))
        repo.add(NewWork("Two", [Contributor("B")], series=[SeriesRef("100% Cotton", "1")]))
    with catalog.read() as session:
        series = SeriesRepository(session)
        assert [s.name for s in series.summaries("cordoba")] == ["Córdoba Mysteries"]
        assert [s.name for s in series.summaries("CÓRDOBA m")] == ["Córdoba Mysteries"]
        assert [s.name for s in series.summaries("0%")] == ["100% Cotton"]
        assert [s.name for s in series.summaries("%")] == ["100% Cotton"]
