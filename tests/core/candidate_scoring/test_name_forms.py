"""The many ways one person's name is written, and the ways two people's names are alike."""

from __future__ import annotations

import pytest

from bookdesk.core.candidate_scoring.names import (
    author_similarity,
    match_names,
    parse_name,
)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("Le Guin, Ursula K.", "Ursula K. Le Guin"),
        ("URSULA K LE GUIN", "Ursula K. Le Guin"),
        ("ursula k. le guin", "Le Guin, Ursula K."),
        ("E.J. Smith", "E. J. Smith"),
        ("E J Smith", "E.J. Smith"),
        ("EJ Smith", "E. J. Smith"),
        ("J.R.R. Tolkien", "Tolkien, J. R. R."),
        ("Clara Brontë", "Clara Bronte"),
        ("Gabriel García Márquez", "Garcia Marquez, Gabriel"),
        ("Lars Jørgensen", "Lars Jorgensen"),
        ("Mira O'Brien", "Mira OBrien"),
        ("Kurt Vonnegut Jr.", "Vonnegut, Kurt"),
        ("Kurt Vonnegut, Jr.", "Kurt Vonnegut Jr"),
        ("Martin Luther King Jr.", "King, Martin Luther, Jr."),
        ("Le Guin Ursula K", "Ursula K. Le Guin"),  # name order without the comma
    ],
)
def test_forms_of_one_name_are_the_same_person(ours: str, theirs: str) -> None:
    assert match_names(ours, theirs).value == 1.0
    assert match_names(theirs, ours).value == 1.0


def test_the_reason_says_how_the_forms_differ() -> None:
    assert match_names("Ursula K. Le Guin", "Ursula K. Le Guin").note == "exact"
    assert match_names("Le Guin, Ursula K.", "Ursula K. Le Guin").note == "name order differs"
    assert match_names("URSULA K LE GUIN", "Ursula K. Le Guin").note == "written differently"


def test_a_name_splits_into_given_names_surname_and_suffix() -> None:
    name = parse_name("Le Guin, Ursula K.")
    assert (name.given, name.surname, name.suffix) == (("ursula", "k"), "le guin", "")
    assert parse_name("E.J. Smith").given == ("e", "j")
    assert parse_name("Martin Luther King Jr.").suffix == "jr"
    assert parse_name("Le Guin").surname == "le guin"  # a particle starts a surname, it is not a given name


@pytest.mark.parametrize(
    ("ours", "theirs", "low", "high", "note"),
    [
        ("U. K. Le Guin", "Ursula K. Le Guin", 0.88, 0.97, "initials"),
        ("Ursula Le Guin", "Ursula K. Le Guin", 0.93, 0.99, "middle name missing"),
        ("Le Guin", "Ursula K. Le Guin", 0.8, 0.9, "surname only"),
        ("García Márquez", "Rosa García Márquez", 0.8, 0.9, "surname only"),  # compound surname alone
        ("Clar Brontë", "Clara Brontë", 0.88, 0.99, "spelling differs"),  # one letter dropped
        ("Clara Bronë", "Clara Brontë", 0.85, 0.99, "spelling differs"),
        ("ClaraBrontë", "Clara Brontë", 0.9, 0.99, "spelling differs"),  # the space dropped
        ("Ben Brontë", "Clara Brontë", 0.3, 0.6, "different given name"),
        ("Kurt Vonnegut Jr.", "Kurt Vonnegut Sr.", 0.4, 0.7, "different suffix (jr vs sr)"),
        ("Dmitri Petrov", "Olga Moreau", 0.0, 0.3, "different person"),
    ],
)
def test_near_forms_score_below_a_full_match_and_say_why(ours: str, theirs: str, low: float, high: float,
                                                          note: str) -> None:
    match = match_names(ours, theirs)
    assert low <= match.value <= high
    assert match.note == note


def test_initials_are_strong_but_not_perfect_and_beat_a_surname_alone() -> None:
    full = match_names("Ursula K. Le Guin", "Ursula K. Le Guin").value
    initials = match_names("U. K. Le Guin", "Ursula K. Le Guin").value
    surname = match_names("Le Guin", "Ursula K. Le Guin").value
    stranger = match_names("Ben Le Guin", "Ursula K. Le Guin").value
    assert full > initials > surname > stranger


def test_several_authors_pair_up_in_any_order() -> None:
    assert author_similarity(["Neil Gaiman", "Terry Pratchett"], ["Pratchett, Terry", "Gaiman, Neil"]) == 1.0
    assert author_similarity(["Terry Pratchett & Neil Gaiman"], ["Neil Gaiman", "Terry Pratchett"]) == 1.0


def test_a_co_author_on_one_side_only_costs_a_little() -> None:
    one_missing = author_similarity(["Terry Pratchett"], ["Terry Pratchett", "Neil Gaiman"])
    assert 0.85 <= one_missing < 1.0


def test_a_different_author_list_scores_low() -> None:
    assert author_similarity(["Ursula K. Le Guin"], ["Instaread"]) < 0.3
    assert author_similarity(["Terry Pratchett", "Neil Gaiman"], ["Stephen King", "Peter Straub"]) < 0.3


def test_no_author_on_either_side_is_no_similarity() -> None:
    assert author_similarity([], ["Ursula K. Le Guin"]) == 0.0
    assert author_similarity(["Ursula K. Le Guin"], []) == 0.0
