"""A candidate's score: named, weighted parts that say why, and penalties for what is not the book."""

from __future__ import annotations

import pytest
from scoring_builders import candidate

from bookdesk.core.candidate_scoring.score import (
    WEIGHTS,
    KnownBook,
    Part,
    Penalty,
    Score,
    isbn13,
    score_candidate,
)
from bookdesk.core.providers.base import Query
from bookdesk.data.catalog_rows import Contributor, FileRecord, SeriesRef, WorkDetail

LE_GUIN = "Ursula K. Le Guin"
WIZARD = candidate("A Wizard of Earthsea", LE_GUIN, series="Earthsea Cycle", position="1", published="1968",
                   identifiers={"isbn": "9780553383041"})
TOMBS = candidate("The Tombs of Atuan", LE_GUIN, series="Earthsea Cycle", position="2", published="1971")


def test_a_score_is_the_weighted_mean_of_its_parts_times_its_penalties() -> None:
    score = Score((Part("title", 4.0, 1.0, "title matches"), Part("author", 3.0, 0.5, "author differs")))
    assert score.total == pytest.approx((4.0 + 1.5) / 7.0, abs=1e-4)
    penalised = Score(score.parts, (Penalty("companion", 0.25, "a summary"),))
    assert penalised.total == pytest.approx(score.total * 0.25, abs=1e-4)
    assert Score().total == 0.0


def test_every_part_explains_itself_and_penalties_come_first() -> None:
    known = KnownBook(title="A Wizard of Earthsea", authors=("Le Guin, Ursula K.",), year="1968",
                      identifiers={"isbn": "0-553-38304-3"}, series=(SeriesRef("Earthsea", "1"),))
    score = score_candidate(known, WIZARD)
    assert score.explain() == [
        "ISBN matches exactly",
        "title matches",
        "author matches (name order differs)",
        "series position 1 matches",
        "year 1968 matches",
    ]
    assert score.total == 1.0
    summary = score_candidate(known, candidate("Summary of A Wizard of Earthsea", "Instaread"))
    assert summary.explain()[0] == "a companion work (summary), not the book itself"


def test_missing_evidence_neither_helps_nor_hurts() -> None:
    bare = score_candidate(KnownBook(title="A Wizard of Earthsea"), candidate("A Wizard of Earthsea"))
    rich = score_candidate(KnownBook(title="A Wizard of Earthsea"), WIZARD)
    assert [p.name for p in bare.parts] == ["title"]
    assert [p.name for p in rich.parts] == ["title"]  # what only the candidate knows is not evidence
    assert bare.total == rich.total == 1.0


def test_an_exact_isbn_wins_even_with_a_poor_title() -> None:
    known = KnownBook(title="earthsea 1", identifiers={"isbn": "9780553383041"})
    right = score_candidate(known, WIZARD)
    lookalike = score_candidate(known, candidate("Earthsea", "Someone Else"))
    assert right.part("title").value < 0.6  # type: ignore[union-attr]
    assert right.identified and not lookalike.identified
    assert right.total > lookalike.total
    assert right.total >= 0.8


def test_an_isbn_with_a_wholly_different_title_and_author_is_doubted() -> None:
    # A file whose ISBN belongs to another book: the ISBN alone must not carry that.
    known = KnownBook(title="The Shadow of River 17", authors=("Ada Petrov",), identifiers={"isbn": "9780553383041"})
    assert score_candidate(known, WIZARD).total < 0.7


def test_a_book_identified_before_is_recognised_by_the_provider_id() -> None:
    known = KnownBook(title="wizard", identifiers={"openlibrary": "OL59761W"})
    score = score_candidate(known, candidate("A Wizard of Earthsea", provider_id="OL59761W"))
    assert score.identified and score.explain()[0] == "Open Library id matches exactly"


def test_an_isbn_alone_carries_the_match() -> None:
    assert score_candidate(KnownBook(identifiers={"isbn": "9780553383041"}), WIZARD).total == 1.0


def test_isbn_10_and_13_are_the_same_number() -> None:
    assert isbn13("0-553-38304-3") == "9780553383041"
    assert isbn13("080442957X") == "9780804429573"
    assert isbn13("not an isbn") is None


def test_another_isbn_is_weak_evidence_against_perhaps_another_edition() -> None:
    known = KnownBook(title="A Wizard of Earthsea", authors=(LE_GUIN,), identifiers={"isbn": "9780547773742"})
    score = score_candidate(known, WIZARD)
    part = score.part("identifier")
    assert part is not None and part.value == 0.0 and part.weight < WEIGHTS["title"]
    assert part.note == "ISBN differs (perhaps another edition)"
    assert score.total >= 0.85


def test_an_asin_match_is_as_strong_as_an_isbn() -> None:
    known = KnownBook(title="wizard", identifiers={"asin": "b00abc1234"})
    score = score_candidate(known, candidate("A Wizard of Earthsea", identifiers={"asin": "B00ABC1234"}))
    assert score.explain()[0] == "ASIN matches exactly"
    assert score.identified


def test_surname_only_and_lowercased_title_score_high_for_the_book_and_clearly_lower_for_its_sibling() -> None:
    known = KnownBook(title="a wizard of earthsea", authors=("Le Guin",))
    right, sibling = score_candidate(known, WIZARD), score_candidate(known, TOMBS)
    assert right.total >= 0.9
    assert sibling.total <= 0.7
    assert right.total - sibling.total >= 0.25
    assert "surname only" in right.part("author").note  # type: ignore[union-attr]


def test_a_summary_never_wins_over_the_real_book_even_when_it_names_the_author() -> None:
    known = KnownBook(title="the left hand of darkness", authors=("Le Guin",))
    real = score_candidate(known, candidate("The Left Hand of Darkness", LE_GUIN))
    for title, kwargs in [
        ("Summary of The Left Hand of Darkness", {}),
        ("The Left Hand of Darkness: Study Guide", {}),
        ("The Left Hand of Darkness", {"is_companion": True}),  # the provider says so
        ("The Left Hand of Darkness", {"publisher": "SuperSummary"}),
    ]:
        summary = score_candidate(known, candidate(title, LE_GUIN, **kwargs))
        assert summary.penalised
        assert summary.total < 0.3 < real.total


def test_a_companion_matches_a_known_companion() -> None:
    known = KnownBook(title="Summary of Atomic Habits")
    assert not score_candidate(known, candidate("Summary of Atomic Habits", "Instaread")).penalised


def test_an_omnibus_does_not_match_book_one_and_book_one_does_not_match_an_omnibus() -> None:
    book_one = KnownBook(title="A Wizard of Earthsea", authors=(LE_GUIN,))
    omnibus = candidate("The Earthsea Cycle: Books 1-3", LE_GUIN)
    flagged = candidate("A Wizard of Earthsea", LE_GUIN, is_compilation=True)
    assert score_candidate(book_one, omnibus).total < 0.4
    assert score_candidate(book_one, flagged).penalised
    known_omnibus = KnownBook(title="Earthsea Books 1-3", authors=(LE_GUIN,))
    assert score_candidate(known_omnibus, omnibus).total > 0.8
    assert score_candidate(known_omnibus, WIZARD).penalised


@pytest.mark.parametrize(
    ("ours", "theirs", "value", "note"),
    [
        ("2", "2", 1.0, "series position 2 matches"),
        ("2", "3", 0.0, "series position 2 vs 3"),
        ("", "2", 0.8, "series Earthsea Cycle matches (position unknown)"),
        ("2.0", "2", 1.0, "series position 2 matches"),
    ],
)
def test_series_position(ours: str, theirs: str, value: float, note: str) -> None:
    known = KnownBook(title="The Tombs of Atuan", series=(SeriesRef("The Earthsea Series", ours),))
    part = score_candidate(known, candidate("The Tombs of Atuan", series="Earthsea Cycle", position=theirs)).part("series")
    assert part is not None and (part.value, part.note) == (value, note)


def test_a_series_position_that_differs_sends_an_otherwise_perfect_match_below_apply() -> None:
    known = KnownBook(title="The Tombs of Atuan", authors=(LE_GUIN,), series=(SeriesRef("Earthsea Cycle", "3"),))
    assert score_candidate(known, TOMBS).total < 0.8


@pytest.mark.parametrize(
    ("ours", "theirs", "value", "note"),
    [
        ("1968", "1968-11-01", 1.0, "year 1968 matches"),
        ("2004", "2005", 0.8, "year 2004 vs 2005"),
        ("2012", "1968", 0.5, "year 2012 vs 1968 (perhaps a later edition)"),
        ("1968", "2012", 0.0, "year 1968 vs 2012"),
    ],
)
def test_year_is_tolerant_of_one_year_and_of_later_editions(ours: str, theirs: str, value: float, note: str) -> None:
    part = score_candidate(KnownBook(title="x", year=ours), candidate("x", published=theirs)).part("year")
    assert part is not None and (part.value, part.note) == (value, note)
    assert part.weight < WEIGHTS["author"]


def test_audiobook_duration_close_is_strong_and_far_off_lowers_the_score() -> None:
    def score(candidate_seconds: float) -> tuple[float, str]:
        known = KnownBook(title="A Wizard of Earthsea", authors=(LE_GUIN,), duration_seconds=9 * 3600 + 12 * 60)
        s = score_candidate(known, candidate("A Wizard of Earthsea", LE_GUIN, duration_seconds=candidate_seconds))
        return s.total, s.part("duration").note  # type: ignore[union-attr]

    close, note = score(9 * 3600 + 10 * 60)
    assert close == 1.0 and note == "duration 9h12 vs 9h10"
    abridged, note = score(3 * 3600)
    assert abridged < 0.8 and note == "duration 9h12 vs 3h00 (67% off)"
    somewhat = score(8 * 3600 + 30 * 60)[0]
    assert abridged < somewhat < close


def test_language_that_differs_costs_a_little() -> None:
    known = KnownBook(title="A Wizard of Earthsea", authors=(LE_GUIN,), language="eng")
    french = score_candidate(known, candidate("A Wizard of Earthsea", LE_GUIN, language="fr"))
    assert french.part("language").note == "language en vs fr"  # type: ignore[union-attr]
    assert 0.85 < french.total < 1.0


def test_a_query_and_a_catalog_work_can_be_scored_directly() -> None:
    query = Query(title="a wizard of earthsea", authors=("Le Guin",), isbn="9780553383041", year="1968")
    assert score_candidate(query, WIZARD).total > 0.95  # all agrees; the author is a surname only
    work = WorkDetail(
        id=1, title="A Wizard of Earthsea", sort_title="Wizard of Earthsea", subtitle=None, description=None,
        language="en", publisher=None, first_published="1968", status="owned", rating=None, cover_path=None,
        contributors=(Contributor(LE_GUIN),), series=(), identifiers={}, tags=(),
        files=(FileRecord(1, "a/part1.mp3", "mp3", "audiobook", 1, "h1", 3600.0),
               FileRecord(2, "a/part2.mp3", "mp3", "audiobook", 1, "h2", 3600.0),
               FileRecord(3, "a/book.m4b", "m4b", "audiobook", 1, "h3", 7200.0)),
        locked_fields=frozenset(), added_at=None)  # type: ignore[arg-type]
    known = KnownBook.from_work(work)
    assert known.duration_seconds == 7200.0  # two parts add up; a second format is not twice the length
    score = score_candidate(work, candidate("A Wizard of Earthsea", LE_GUIN, duration_seconds=7250.0))
    assert score.part("duration").value == 1.0  # type: ignore[union-attr]


@pytest.mark.parametrize(("ours", "published", "released", "value", "note"), [
    # An audiobook file tagged with its recording's year is that recording, not a later book.
    ("2015", "1997", "2015-11-20", 1.0, "year 2015 matches this edition's"),
    ("1997", "1997", "2015-11-20", 1.0, "year 1997 matches"),
    # Google gives only its edition's date: that is still evidence, and no first publication is made of it.
    ("2013", None, "2013-03-05", 1.0, "year 2013 matches this edition's"),
    ("2010", None, "2013-03-05", None, None),
])
def test_a_year_may_match_the_book_or_the_edition_in_hand(ours, published, released, value, note) -> None:
    part = score_candidate(KnownBook(title="x", year=ours),
                           candidate("x", published=published, released=released)).part("year")
    if value is None:
        assert part is None  # an edition's other year says nothing against the book
    else:
        assert (part.value, part.note) == (value, note)
