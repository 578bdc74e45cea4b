"""Apply only a clear winner: above the threshold and well ahead of any other book."""

from __future__ import annotations

from scoring_builders import candidate

from bookdesk.core.candidate_scoring.decide import (
    APPLY,
    MARGIN,
    NO_MATCH,
    REVIEW,
    THRESHOLD,
    decide,
    group_same_book,
    same_book,
)
from bookdesk.core.candidate_scoring.score import KnownBook, Part, Penalty, Score, score_candidate
from bookdesk.core.providers.base import Candidate

LE_GUIN = "Ursula K. Le Guin"


def scored(known: KnownBook, *candidates: Candidate) -> list[tuple[Candidate, Score]]:
    return [(c, score_candidate(known, c)) for c in candidates]


def fixed(total: float, *, identified: bool = False) -> Score:
    parts = [Part("title", 4.0, total, f"title {round(total * 100)}% similar")]
    if identified:
        parts = [Part("identifier", 8.0, 1.0, "ISBN matches exactly"), Part("title", 4.0, 3 * total - 2, "t")]
    return Score(tuple(parts))


def test_nothing_found_is_no_match() -> None:
    decision = decide([])
    assert (decision.verdict, decision.best, decision.reason) == (NO_MATCH, None, "no candidates")


def test_a_clear_winner_is_applied_and_the_reason_gives_both_scores() -> None:
    decision = decide([(candidate("A"), fixed(0.95)), (candidate("B"), fixed(0.5))])
    assert decision.verdict == APPLY
    assert decision.best is not None and decision.best.title == "A"
    assert decision.runner_up is not None and decision.runner_up.title == "B"
    assert decision.reason == "best 0.95, next 0.50: clear match"


def test_a_lone_candidate_above_the_threshold_is_applied() -> None:
    assert decide([(candidate("A"), fixed(THRESHOLD + 0.01))]).verdict == APPLY
    assert decide([(candidate("A"), fixed(THRESHOLD - 0.01))]).verdict == REVIEW


def test_below_the_threshold_waits_for_review_and_far_below_is_no_match() -> None:
    review = decide([(candidate("A"), fixed(0.7))])
    assert review.verdict == REVIEW and review.reason == "best 0.70, no other book: below 0.80"
    assert decide([(candidate("A"), fixed(0.3))]).verdict == NO_MATCH


def test_two_different_books_too_close_to_tell_apart_wait_for_review() -> None:
    decision = decide([(candidate("A"), fixed(0.95)), (candidate("B"), fixed(0.95 - MARGIN + 0.02))])
    assert decision.verdict == REVIEW
    assert "too close to another book" in decision.reason


def test_the_threshold_and_margin_can_be_chosen() -> None:
    pair = [(candidate("A"), fixed(0.75)), (candidate("B"), fixed(0.65))]
    assert decide(pair).verdict == REVIEW
    assert decide(pair, threshold=0.7, margin=0.05).verdict == APPLY


def test_an_identifier_match_outranks_a_close_rival_that_only_looks_alike() -> None:
    decision = decide([(candidate("A"), fixed(0.85, identified=True)), (candidate("B"), fixed(0.8))])
    assert decision.verdict == APPLY
    assert decision.reason == "best 0.85, next 0.80: ISBN matches exactly, the other book's does not"


def test_a_penalised_best_is_never_applied() -> None:
    summary = Score((Part("title", 4.0, 1.0, "title matches"),), (Penalty("companion", 0.9, "a summary"),))
    assert decide([(candidate("Summary of A"), summary)]).verdict == REVIEW


def test_without_a_title_or_an_identifier_nothing_is_applied() -> None:
    author_only = Score((Part("author", 3.0, 1.0, "author matches"),))
    decision = decide([(candidate("Some book", LE_GUIN), author_only)])
    assert decision.verdict == REVIEW
    assert decision.reason.endswith("neither an identifier nor a title to go on")


def test_one_book_from_several_providers_is_not_its_own_rival() -> None:
    known = KnownBook(title="wizard of earthsea", authors=("Le Guin",))
    openlibrary = candidate("A Wizard of Earthsea", LE_GUIN, provider="openlibrary")
    google = candidate("A Wizard of Earthsea (Earthsea Cycle, #1)", "Le Guin, Ursula K.", provider="googlebooks")
    hardcover = candidate("Wizard of Earthsea", "URSULA K. LE GUIN", provider="hardcover", series="Earthsea",
                          position="1")
    sibling = candidate("The Tombs of Atuan", LE_GUIN, provider="openlibrary")
    decision = decide(scored(known, openlibrary, google, hardcover, sibling))
    assert decision.verdict == APPLY
    assert decision.runner_up is sibling
    assert {c.provider for c in decision.same_book} == {"openlibrary", "googlebooks", "hardcover"}


def test_candidates_sharing_an_isbn_are_one_book_whatever_their_titles() -> None:
    a = candidate("Wizard of Earthsea", identifiers={"isbn": "9780553383041"})
    b = candidate("Earthsea 1: A Wizard", identifiers={"isbn": "0-553-38304-3"}, provider="googlebooks")
    assert same_book(a, b)


def test_books_that_look_alike_but_are_not_one_book() -> None:
    river_17 = candidate("The Shadow of River 17", "Ada Petrov")
    assert not same_book(river_17, candidate("The Shadow of River 71", "Ada Petrov"))
    assert not same_book(river_17, candidate("The Shadow of River 17", "Ben Moreau"))  # another author
    assert not same_book(river_17, candidate("Summary of The Shadow of River 17", "Ada Petrov"))
    assert not same_book(candidate("Dune", "Frank Herbert", series="Dune", position="1"),
                         candidate("Dune", "Frank Herbert", series="Dune", position="2"))
    assert same_book(river_17, candidate("shadow of river 17", "Petrov, Ada"))


def test_groups_are_ordered_by_their_best_member() -> None:
    known = KnownBook(title="The Shadow of River 17", authors=("Petrov",))
    groups = group_same_book(scored(
        known,
        candidate("The Shadow of River 71", "Ada Petrov"),
        candidate("Shadow of River 17", "Petrov, Ada", provider="googlebooks"),
        candidate("The Shadow of River 17", "Ada Petrov"),
    ))
    assert [{c.title for c, _ in g} for g in groups] == [
        {"The Shadow of River 17", "Shadow of River 17"},
        {"The Shadow of River 71"},
    ]
    assert groups[0][0][1].total >= groups[0][1][1].total > groups[1][0][1].total


def test_two_books_with_the_same_title_and_no_author_known_wait_for_review() -> None:
    known = KnownBook(title="the shadow of river 17")
    decision = decide(scored(known, candidate("The Shadow of River 17", "Ada Petrov"),
                             candidate("The Shadow of River 17", "Ben Moreau")))
    assert decision.verdict == REVIEW


def test_only_near_misses_go_to_review_not_apply() -> None:
    # The book itself is not among the answers: its sibling in the series and a summary are.
    known = KnownBook(title="a wizard of earthsea", authors=("Le Guin",))
    decision = decide(scored(
        known,
        candidate("The Tombs of Atuan", LE_GUIN, series="Earthsea Cycle", position="2"),
        candidate("Summary of A Wizard of Earthsea", LE_GUIN),
        candidate("The Earthsea Cycle Books 1-3", LE_GUIN, is_compilation=True),
    ))
    assert decision.verdict in (REVIEW, NO_MATCH)
    assert decision.verdict != APPLY


def test_a_summary_never_applies_even_when_it_is_all_there_is() -> None:
    known = KnownBook(title="the left hand of darkness", authors=("Le Guin",))
    decision = decide(scored(known, candidate("The Left Hand of Darkness: A Summary", LE_GUIN)))
    assert decision.verdict != APPLY


def test_the_real_book_beats_its_summary_and_is_applied() -> None:
    known = KnownBook(title="the left hand of darkness", authors=("Le Guin",))
    real = candidate("The Left Hand of Darkness", LE_GUIN)
    decision = decide(scored(known, candidate("Summary of The Left Hand of Darkness", LE_GUIN), real))
    assert decision.verdict == APPLY and decision.best is real


def test_the_exact_title_and_author_is_never_ranked_below_another_authors_book() -> None:
    # Hardcover marks The Lord of the Rings as a compilation (it was published in three volumes); the
    # compilation penalty once put a study of it by another author above it. Flagged, it is not
    # applied unasked, but it comes first among the books a person is shown.
    known = KnownBook(title="The Lord of the Rings", authors=("J.R.R. Tolkien",))
    study = candidate("J.R.R. Tolkien's The Lord of the Rings", "Harold Bloom", provider="hardcover")
    fellowship = candidate("The Fellowship of the Ring", "J.R.R. Tolkien", provider="hardcover")
    lotr = candidate("The Lord of the Rings", "J.R.R. Tolkien", provider="hardcover", is_compilation=True)

    decision = decide(scored(known, study, fellowship, lotr))

    assert decision.best is lotr and decision.verdict == REVIEW
    assert [group[0][0] for group in group_same_book(scored(known, study, fellowship, lotr))][0] is lotr
    # An exact ISBN still outranks an exact title: identifiers come first in the evidence order.
    isbn_known = KnownBook(title="The Lord of the Rings", authors=("J.R.R. Tolkien",),
                           identifiers={"isbn": "9780618640157"})
    one_volume = candidate("The Lord of the Rings (50th Anniversary)", "J. R. R. Tolkien", provider="googlebooks",
                           identifiers={"isbn": "9780618640157"})
    assert decide(scored(isbn_known, lotr, one_volume)).best is one_volume
