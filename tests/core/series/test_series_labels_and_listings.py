"""Positions read from labels as providers print them, and listings stored and read back."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bookdesk.core.series.labels import format_number, position_of, read_label
from bookdesk.core.series.listing import ListedBook, SeriesListing, books_from_json, parse_date


@pytest.mark.parametrize(("label", "start", "end", "secondary"), [
    ("3", 3, None, False),
    ("2.5", 2.5, None, False),
    ("2,5", 2.5, None, False),
    ("#4", 4, None, False),
    ("Book 7", 7, None, False),
    ("Books 1-3", 1, 3, False),
    ("1–3", 1, 3, False),
    ("1 & 2", 1, 2, False),
    ("3-1", 1, 3, False),
    ("Book Two", 2, None, False),
    ("Book 2 of 9", 2, None, False),
    ("Book 2, Dramatized Adaptation", 2, None, True),
    ("Books 1-3 Box Set", 1, 3, True),
    ("Prequel", None, None, False),
    ("", None, None, False),
    ("Novella", None, None, False),
])
def test_labels_are_read_as_providers_print_them(label, start, end, secondary):
    found = read_label(label)
    assert (found.start, found.end, found.secondary) == (start, end, secondary)


def test_a_stored_number_wins_over_the_label_but_a_range_keeps_its_end():
    assert position_of("Book 3", 3.0).label == "3"
    assert position_of("1-3", 1.0).label == "1-3"
    assert position_of("whatever", 4.0, 6.0).label == "4-6"
    assert position_of("7", float("nan")).label == "7"


def test_numbers_print_without_noise():
    assert [format_number(x) for x in (2.0, 2.5, 1.25, 10.0, 0.333333)] == ["2", "2.5", "1.25", "10", "0.333"]


def test_dates_are_read_from_whole_or_partial_iso_dates():
    assert parse_date("2025-03-04") == date(2025, 3, 4)
    assert parse_date("2025-03") == date(2025, 3, 1)
    assert parse_date("2025") == date(2025, 1, 1)
    assert parse_date("2025-02-30") is None and parse_date("soon") is None and parse_date(None) is None


def test_a_listing_survives_the_round_trip_through_the_catalog_form():
    book = ListedBook("The Tombs of Atuan", ["Ursula K. Le Guin"], "2", 2.0, False, date(1971, 1, 1), "en",
                      {"isbn": "9780689845369"}, "https://covers.example/2.jpg")
    listing = SeriesListing("hardcover", "Earthsea", "hc-1", 6, [book])

    again = SeriesListing.from_stored("hardcover", "Earthsea", "hc-1", 6, listing.books_json())

    assert again == listing


def test_a_damaged_stored_listing_loses_the_bad_parts_not_the_series():
    stored = json.dumps([{"title": "Good", "label": "1", "release_date": "1999-01-01"},
                         {"title": None, "label": 2, "sort_key": "two", "authors": "nobody", "release_date": 5,
                          "identifiers": ["x"], "is_compilation": "yes"},
                         "not an object", 42])

    books = books_from_json(stored)

    assert [b.title for b in books] == ["Good", ""]
    assert books[1].label == "2" and books[1].sort_key is None and books[1].authors == []
    assert books[1].release_date is None and books[1].identifiers == {}
    assert books_from_json("{not json") == [] and books_from_json('{"a": 1}') == []
