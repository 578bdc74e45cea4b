"""Every provider's answer becomes a Candidate one way: series written into titles and subtitles are series."""

from __future__ import annotations

import pytest

from bookdesk.core.providers.candidates import build_candidate
from bookdesk.data.catalog_rows import SeriesRef


@pytest.mark.parametrize("title, subtitle, series, expected_title, expected_subtitle, expected_series", [
    ("The Final Empire (Mistborn, Book 1)", None, [], "The Final Empire", None, [("Mistborn", "1")]),
    ("Gardens of the Moon", "Book One of The Malazan Book of the Fallen", [], "Gardens of the Moon", None,
     [("The Malazan Book of the Fallen", "1")]),
    # The provider's own series comes first; the same series from the title only fills its position.
    ("Thief of Time (Discworld, #26)", None, [SeriesRef("Discworld")], "Thief of Time", None, [("Discworld", "26")]),
    ("Shadows of Self (Mistborn, Book 5)", None, [SeriesRef("The Mistborn Saga", "5", 5.0)], "Shadows of Self", None,
     [("The Mistborn Saga", "5")]),
    ("Night Watch (Discworld, #29)", None, [SeriesRef("City Watch", "8", 8.0)], "Night Watch", None,
     [("City Watch", "8"), ("Discworld", "29")]),
    # What is not a series marker stays where it was.
    ("Dune (Unabridged Book 3)", None, [], "Dune (Unabridged Book 3)", None, []),
    ("The Hobbit", "or There and Back Again", [], "The Hobbit", "or There and Back Again", []),
])
def test_series_markers_leave_the_title_and_join_the_series(title, subtitle, series, expected_title,
                                                             expected_subtitle, expected_series) -> None:
    candidate = build_candidate(provider="test", provider_id="1", title=title, subtitle=subtitle, series=series)
    assert candidate.title == expected_title and candidate.subtitle == expected_subtitle
    assert [(s.name, s.label) for s in candidate.series] == expected_series


def test_the_kind_of_book_is_read_from_the_title_as_written_and_from_the_providers_flags() -> None:
    box = build_candidate(provider="test", provider_id="1", title="The Earthsea Cycle Box Set")
    flagged = build_candidate(provider="test", provider_id="2", title="The Lord of the Rings", compilation=True)
    guide = build_candidate(provider="test", provider_id="3", title="Dune", subtitle="Study Guide")
    assert box.is_compilation and flagged.is_compilation and not flagged.is_companion
    assert guide.is_companion and not guide.is_compilation
