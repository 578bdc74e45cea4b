"""What a provider says a series holds: ``SeriesListing`` and ``ListedBook``, as the gap engine
defines them (``bookdesk.core.series.listing``), and the order the provider clients give entries in.

A listing is one provider's word, kept apart from every other provider's (``source``), so that the
gap engine can merge them and still say who said what. ``total_primary`` is the provider's own
count of the series' primary books (whole-number positions); None means the provider gave no
count and the entries may be only the part of the series it happened to show.

The provider clients fill ``label`` with the position normalised at the source ("2" for "Book 2,
Dramatized Adaptation", with a note saying so; "1-3" for an omnibus, flagged ``is_compilation``;
"" when there is none) and ``sort_key`` with the first position it covers; ``release_date`` with a
year alone as 1 January of that year; ``language`` as ISO 639-1.
"""

from __future__ import annotations

from bookdesk.core.series.listing import ListedBook, SeriesListing

__all__ = ["ListedBook", "SeriesListing", "sorted_entries"]


def sorted_entries(entries: list[ListedBook]) -> list[ListedBook]:
    """Entries in series order: by position (unpositioned last), then label, then title. Duplicates
    stay: two books at one position are the gap engine's to flag, not a provider client's to drop."""
    return sorted(entries, key=lambda e: (e.sort_key is None, e.sort_key or 0.0, e.label, e.title.casefold()))
