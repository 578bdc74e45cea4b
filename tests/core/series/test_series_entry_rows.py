"""The rows the gap analysis reads: each field lands under its name, in plain rows and in named ones."""

from __future__ import annotations

from series_builders import add_books

from bookdesk.data.gap_repository import GapRepository
from bookdesk.data.library_entry import AUTHORS, SERIES_ID, LibraryEntry


def test_each_column_of_an_entry_row_holds_the_field_it_is_named_for(catalog):
    ids = add_books(catalog, "Wayfarers", ("2", "ebook,audiobook"), ("3", "", "wanted"), author="Becky Chambers")

    with catalog.read() as session:
        repo = GapRepository(session)
        [series_id] = repo.series_named("Wayfarers")
        named = sorted(repo.entries(series_id), key=lambda e: e.label)
        plain = repo.entry_rows([series_id])

    assert [(e.work_id, e.label, e.sort_key, e.status, e.kinds, e.authors, e.series_id) for e in named] == [
        (ids["2"], "2", 2.0, "owned", 3, "Becky Chambers", series_id),
        (ids["3"], "3", 3.0, "wanted", 0, "Becky Chambers", series_id)]
    assert sorted(LibraryEntry._make(row) for row in plain) == sorted(named)
    assert {(row[SERIES_ID], row[AUTHORS]) for row in plain} == {(series_id, "Becky Chambers")}
