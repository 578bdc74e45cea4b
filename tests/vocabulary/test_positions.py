"""Series positions as people, files and providers write them: one label and one number to sort by."""

from __future__ import annotations

import pytest

from bookdesk.vocabulary.positions import Position, format_number, position_of, read_position


def _number(cell: str) -> float | None:
    return float(cell) if cell else None


@pytest.mark.parametrize(("value", "label"), [(2, "2"), (2.0, "2"), (1.5, "1.5"), (0, "0")])
def test_numbers_from_providers_read_as_their_label(value, label) -> None:
    assert read_position(value) == Position(label, float(value))


def test_words_after_the_number_leave_the_label_and_are_remarked() -> None:
    assert read_position("Book 2, Dramatized Adaptation").remark == "Dramatized Adaptation"
    assert read_position("3-1").remark == "range written backwards"


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), "9780765326355", "Season 2 Episode 4", "2a",
                                   "1/2", True, None])
def test_what_cannot_be_read_has_no_number_never_an_error(value) -> None:
    found = read_position(value)
    assert found.start is None and found.label == ""


def test_a_stored_position_reads_back_as_it_was_stored() -> None:
    assert position_of("Book 3", 3.0).label == "3"
    assert position_of("1-3", 1.0) == Position("1-3", 1.0, 3.0)
    assert position_of("whatever", 4.0, 6.0).label == "4-6"
    assert position_of("7", float("nan")).start == 7.0
    assert position_of("#3", None).start == 3.0 and position_of("1,5", None).start == 1.5


def test_an_omnibus_covers_each_of_its_positions() -> None:
    omnibus = read_position("1-3")
    assert [n for n in (1, 2, 3, 4) if omnibus.covers(n)] == [1, 2, 3]


def test_numbers_print_without_noise() -> None:
    assert [format_number(x) for x in (2.0, 2.5, 1.25, 10.0, 0.333333)] == ["2", "2.5", "1.25", "10", "0.333"]
