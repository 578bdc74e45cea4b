"""A series whose books have all left it (taken out by hand, an edit undone) is not listed, nor counted,
in the Series view and ``bookdesk gaps``, unless it is monitored or still has wanted books."""

from __future__ import annotations

import pytest
from series_builders import TODAY, add_books

from bookdesk.core.editing.service import BookEdits, EditService
from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.service import SeriesService


@pytest.fixture
def series_service(catalog):
    service = SeriesService(catalog, GapPolicy(today=TODAY))
    yield service
    service.close()


def names(service: SeriesService) -> tuple[list[str], list[str]]:
    return [s.name for s in service.summaries()], [g.name for g in service.gaps()]


def test_a_series_left_with_no_books_is_not_listed_by_a_service_that_saw_it_or_a_new_one(catalog,
                                                                                           series_service):
    emptied = add_books(catalog, "Emptied", "1", "2")
    add_books(catalog, "Kept", "1")
    add_books(catalog, "Only Wanted", ("1", "", "wanted"))
    assert names(series_service)[0] == ["Emptied", "Kept", "Only Wanted"]

    EditService(catalog).apply(list(emptied.values()), BookEdits(series=""))

    assert names(series_service) == (["Kept", "Only Wanted"], ["Kept", "Only Wanted"])
    fresh = SeriesService(catalog, GapPolicy(today=TODAY))
    try:
        assert names(fresh) == (["Kept", "Only Wanted"], ["Kept", "Only Wanted"])
    finally:
        fresh.close()


def test_a_monitored_series_with_no_books_stays_listed(catalog, series_service):
    emptied = add_books(catalog, "Followed", "1")
    series_service.set_monitored(series_service.series_id("Followed"))
    EditService(catalog).apply(list(emptied.values()), BookEdits(series=""))

    assert names(series_service) == (["Followed"], ["Followed"])
