"""Titles written differently that are one book, titles alike that are not, and titles that are not books."""

from __future__ import annotations

import pytest

from bookdesk.core.candidate_scoring.titles import (
    companion_kind,
    compare_titles,
    is_omnibus,
    title_similarity,
)
from bookdesk.vocabulary.titles import strip_series_marker


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("the left hand of darkness", "The Left Hand of Darkness"),  # lower-cased
        ("Left Hand of Darkness", "The Left Hand of Darkness"),  # "The " dropped
        ("LEFT HAND OF DARKNESS", "The Left Hand of Darkness"),
        ("The Left Hand of Darkness: A Novel", "The Left Hand of Darkness"),  # a subtitle that says nothing
        ("A Wizard of Earthsea (Earthsea Cycle #1)", "A Wizard of Earthsea"),
        ("A Wizard of Earthsea, Book 1", "Wizard of Earthsea"),
        ("A Wizard of Earthsea [Earthsea 1]", "A Wizard of Earthsea"),
        ("Les Misérables", "Les Miserables"),
        ("Pride & Prejudice", "Pride and Prejudice"),
        ("The Two Towers", "2 Towers"),
        ("Nineteen Eighty-Four", "1984"),
        ("Catch-22", "Catch 22"),
        ("Rocky II", "Rocky 2"),
        ("The Hobbit: or There and Back Again", "The Hobbit, or There and Back Again"),
        ("Ender’s Game", "Enders Game"),
    ],
)
def test_forms_of_one_title_match(ours: str, theirs: str) -> None:
    assert title_similarity(ours, theirs) == 1.0
    assert compare_titles(ours, theirs).note == "title matches"


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("Thinking, Fast and Slow", "Thinking, Fast and Slow: Summary and Analysis"),  # subtitle on one side
        ("Mistborn: The Final Empire", "The Final Empire"),  # the series written as the title
        ("Earthsea 01 - A Wizard of Earthsea", "A Wizard of Earthsea"),  # ...with its number, as folders do
        ("The Left Hand of Darknes", "The Left Hand of Darkness"),  # a typo
    ],
)
def test_near_forms_of_one_title_stay_high(ours: str, theirs: str) -> None:
    assert 0.8 <= title_similarity(ours, theirs) < 1.0


def test_a_title_cut_short_counts_by_how_much_is_left() -> None:
    most = title_similarity("The Left Hand of Dark", "The Left Hand of Darkness")
    some = title_similarity("The Left Hand of", "The Left Hand of Darkness")
    little = title_similarity("Harry Potter", "Harry Potter and the Goblet of Fire")
    assert most > some > little
    assert little < 0.6


def test_a_subtitle_weighs_less_than_the_main_title() -> None:
    other_subtitle = title_similarity("Dune: The Desert Planet", "Dune: A Story of Spice")
    other_main = title_similarity("Dune: The Desert Planet", "Arrakis: The Desert Planet")
    assert other_subtitle >= 0.85 > other_main


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("The Shadow of River 17", "The Shadow of River 71"),  # the corpus' titles differ in the number only
        ("the shadow of river 17", "The Shadow of River 170"),
        ("Henry IV, Part 1", "Henry IV, Part 2"),
    ],
)
def test_titles_that_differ_in_a_number_are_different_books(ours: str, theirs: str) -> None:
    match = compare_titles(ours, theirs)
    assert match.value < 0.6
    assert "numbers differ" in match.note


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("A Wizard of Earthsea", "The Tombs of Atuan"),
        ("Dune", "Dune Messiah"),
        ("The Shadow of River 17", "The Ember of Glass 17"),
        # Books of one series share words; the words that differ are the ones that matter.
        ("Harry Potter and the Chamber of Secrets", "Harry Potter and the Goblet of Fire"),
        ("Leviathan Wakes", "Leviathan Falls"),
        ("Children of Dune", "Children of Time"),
        ("The Shadow of River", "The Shadow of Ember"),
    ],
)
def test_other_books_score_low(ours: str, theirs: str) -> None:
    assert title_similarity(ours, theirs) < 0.6


def test_the_series_marker_is_taken_off_the_shown_title() -> None:
    assert strip_series_marker("A Wizard of Earthsea (Earthsea Cycle, #1)") == "A Wizard of Earthsea"
    assert strip_series_marker("The Final Empire - Book 1") == "The Final Empire"
    assert strip_series_marker("Catch-22") == "Catch-22"
    assert strip_series_marker("Book 1") == "Book 1"  # nothing left would be worse


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Summary of Atomic Habits", "summary"),
        ("Atomic Habits: A Summary", "summary"),
        ("Summary & Analysis of The Left Hand of Darkness", "summary"),
        ("Study Guide: Dune", "study guide"),
        ("SparkNotes: 1984", "study guide"),
        ("Workbook for Atomic Habits", "workbook"),
        ("Analysis of A Wizard of Earthsea", "analysis"),
        ("Dune Trivia", "trivia"),
        ("Conversation Starters: Educated", "discussion guide"),
    ],
)
def test_companion_works_are_recognised(title: str, kind: str) -> None:
    assert companion_kind(title) == kind


@pytest.mark.parametrize("title", ["Summary Justice", "Notes on a Scandal", "The Companion", "A Wizard of Earthsea"])
def test_real_books_are_not_taken_for_companions(title: str) -> None:
    assert companion_kind(title) is None


def test_a_summary_maker_gives_the_summary_away() -> None:
    assert companion_kind("Atomic Habits", makers=["Instaread"]) == "summary"


@pytest.mark.parametrize(
    ("title", "omnibus"),
    [
        ("Earthsea Books 1-3", True),
        ("The Expanse #1-3", True),
        ("Books One to Three", True),
        ("The Earthsea Quartet", True),
        ("Mistborn Trilogy Boxed Set", True),
        ("The Lord of the Rings 3-Book Box Set", True),
        ("A Wizard of Earthsea", False),
        ("The Trilogy Killer", False),
    ],
)
def test_an_omnibus_is_recognised(title: str, omnibus: bool) -> None:
    assert is_omnibus(title) is omnibus
