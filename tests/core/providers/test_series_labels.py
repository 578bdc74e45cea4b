"""Series positions as providers print them: one label and one number to sort by, or a remark."""

from __future__ import annotations

import datetime

import pytest

from bookdesk.core.providers.series_common import listed_book, release_date, same_person, same_series
from bookdesk.core.providers.series_labels import Position, read_position


@pytest.mark.parametrize(("printed", "label", "sort_key", "is_range"), [
    (2, "2", 2.0, False),
    (2.0, "2", 2.0, False),
    (1.5, "1.5", 1.5, False),
    ("2", "2", 2.0, False),
    ("Book 2", "2", 2.0, False),
    ("book 8.5", "8.5", 8.5, False),
    ("#3", "3", 3.0, False),
    ("Vol. 4", "4", 4.0, False),
    ("Book Two", "2", 2.0, False),
    ("Volume III", "3", 3.0, False),
    ("Tome 4", "4", 4.0, False),
    ("1,5", "1.5", 1.5, False),  # a decimal comma (Audible.de)
    ("0", "0", 0.0, False),
    ("1-3", "1-3", 1.0, True),
    ("Books 1 \u2013 3", "1-3", 1.0, True),
    ("1 & 2", "1-2", 1.0, True),
    ("1, 2, 3", "1-3", 1.0, True),
    ("Book 1 to 3", "1-3", 1.0, True),
    ("2-2", "2", 2.0, False),
    ("Prequel", "Prequel", None, False),
    ("Novella", "Novella", None, False),
])
def test_printed_positions_become_a_label_and_a_number(printed, label, sort_key, is_range) -> None:
    position = read_position(printed)
    assert (position.label, position.sort_key, position.is_range) == (label, sort_key, is_range)
    assert position.remark is None


def test_words_after_the_number_leave_the_label_and_are_remarked() -> None:
    assert read_position("Book 2, Dramatized Adaptation") == Position("2", 2.0, False, "Dramatized Adaptation")
    assert read_position("Volume 3 (Graphic Audio)") == Position("3", 3.0, False, "Graphic Audio")


def test_a_range_written_backwards_is_turned_round_and_remarked() -> None:
    assert read_position("3-1") == Position("1-3", 1.0, True, "range written backwards")
    assert read_position("3-1").end == 3.0


@pytest.mark.parametrize("printed", [None, "", "   ", True])
def test_no_position_is_an_empty_label(printed) -> None:
    assert read_position(printed) == Position()


@pytest.mark.parametrize("printed", [-1, float("nan"), float("inf"), "9780765326355", "Season 2 Episode 4", "2a",
                                     "1/2"])
def test_what_cannot_be_read_is_an_empty_label_with_a_remark_never_an_error(printed) -> None:
    position = read_position(printed)
    assert position.label == "" and position.sort_key is None and position.remark


def test_a_listed_book_prefers_the_printed_position_and_says_what_it_changed() -> None:
    remarks: list[str] = []
    omnibus = listed_book(title="Mistborn Trilogy", authors=["B"], position=1, details="1-3", remarks=remarks)
    prequel = listed_book(title="The Eleventh Metal", authors=[], position=0, details="Prequel", remarks=remarks)
    drama = listed_book(title="Words of Radiance", authors=[], details="Book 2, Dramatized Adaptation",
                        remarks=remarks, where="Audnexus, Stormlight")
    assert (omnibus.label, omnibus.sort_key, omnibus.is_compilation) == ("1-3", 1.0, True)
    assert (prequel.label, prequel.sort_key, prequel.is_compilation) == ("Prequel", 0.0, False)
    assert (drama.label, drama.sort_key) == ("2", 2.0)
    assert remarks == ["Audnexus, Stormlight: \u201cWords of Radiance\u201d is listed at \u201cBook 2, Dramatized "
                       "Adaptation\u201d; read as position 2 (Dramatized Adaptation)."]
    assert listed_book(title="  ", authors=[]) is None
    assert listed_book(title="The Complete Box Set", authors=[], position=1).is_compilation  # said by its title


def test_dates_and_names() -> None:
    assert release_date("2010-08-31T00:00:00.000Z") == datetime.date(2010, 8, 31)
    assert release_date("2016-12") == datetime.date(2016, 12, 1)
    assert release_date(2011) == release_date("2011") == datetime.date(2011, 1, 1)
    assert release_date("2010-02-31") is None and release_date("soon") is None and release_date(None) is None
    assert same_series("The Stormlight Archive", "Stormlight Archive")
    assert same_series("Mistborn Series", "mistborn") and same_series("Les Rougon-Macquart", "les rougon macquart")
    assert not same_series("Mistborn", "Mistborn Adventure Game") and not same_series("", "")
    assert same_person("Le Guin, Ursula K.", "Ursula K. Le Guin") and not same_person("Ursula", "")
