"""Names and titles sort the way a reader expects."""

from __future__ import annotations

import pytest

from bookdesk.data.positions import parse_position
from bookdesk.data.sort_keys import author_sort, fold, title_sort


@pytest.mark.parametrize(("name", "expected"), [
    ("Ursula K. Le Guin", "Le Guin, Ursula K."),
    ("Martin Luther King Jr.", "King, Martin Luther, Jr."),
    ("Martin Luther King, Jr.", "King, Martin Luther, Jr."),
    ("Kurt Vonnegut, Jr.", "Vonnegut, Kurt, Jr."),
    ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
    ("Le Guin, Ursula K.", "Le Guin, Ursula K."),
    ("Homer", "Homer"),
    ("  Emily   Brontë ", "Brontë, Emily"),
    ("", ""),
])
def test_author_sort_puts_the_family_name_first(name, expected):
    assert author_sort(name) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("The Left Hand of Darkness", "Left Hand of Darkness"),
    ("A Wizard of Earthsea", "Wizard of Earthsea"),
    ("An Instance of the Fingerpost", "Instance of the Fingerpost"),
    ("Theogony", "Theogony"),
    ("The", "The"),
    ("  Anathem ", "Anathem"),
])
def test_title_sort_drops_a_leading_article(title, expected):
    assert title_sort(title) == expected


def test_fold_ignores_case_accents_and_extra_spaces():
    assert fold("  Brontë ") == fold("BRONTE") == "bronte"
    assert fold("Søren  Straße") == "soren strasse"  # ø, which Unicode does not decompose; ß to ss
    assert fold("Łódź Ægir") == "lodz aegir"
    assert fold("ﬁnal") == "final"


@pytest.mark.parametrize(("label", "expected"), [
    ("2", (2.0, None)), ("1.5", (1.5, None)), ("1-3", (1.0, 3.0)), ("1\u20133", (1.0, 3.0)),
    ("Prequel", (None, None)), ("", (None, None)),
])
def test_series_positions_as_printed_become_numbers_to_sort_by(label, expected):
    assert parse_position(label) == expected
