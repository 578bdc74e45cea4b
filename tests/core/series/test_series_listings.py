"""Listings stored and read back (positions are read by the vocabulary: tests/vocabulary)."""

from __future__ import annotations

import json
from datetime import date

from bookdesk.core.series.listing import ListedBook, SeriesListing, books_from_json, parse_date


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
