"""The series service on a real catalog: gaps, listings and their history, the Series view, ignoring."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from series_builders import TODAY, add_books, listed, listing, numbered
from sqlalchemy import select, text

from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.service import SeriesService
from bookdesk.data.models import Series
from bookdesk.errors import NotFoundError, UsageError


@pytest.fixture
def series_service(catalog):
    service = SeriesService(catalog, GapPolicy(today=TODAY))
    yield service
    service.close()


def test_gaps_cover_every_series_of_the_library_by_name(catalog, series_service):
    add_books(catalog, "Wayfarers", "1", "2", "4")
    add_books(catalog, "Annals", "1-3", "5", ("Prequel", "audiobook"))
    add_books(catalog, "Complete", "1", "2")

    found = {g.name: g for g in series_service.gaps()}

    assert list(found) == ["Annals", "Complete", "Wayfarers"]
    assert found["Wayfarers"].overall.missing_labels == ["3"]
    assert found["Annals"].overall.missing_labels == ["4"]
    assert found["Annals"].overall.owned == ("Prequel", "1-3", "5")
    assert found["Annals"].audiobook.owned == ("Prequel",)
    assert found["Complete"].complete


def test_gaps_of_one_series_are_found_by_its_name_case_and_accents_aside(catalog, series_service):
    add_books(catalog, "Córdoba Files", "1", "3")
    add_books(catalog, "Other", "1")

    [gaps] = series_service.gaps("cordoba files")
    assert gaps.name == "Córdoba Files" and gaps.overall.missing_labels == ["2"]
    assert [g.name for g in series_service.gaps("CORDOBA")] == ["Córdoba Files"]  # part of the name will do
    with pytest.raises(NotFoundError):
        series_service.gaps("No Such Series")


def test_provider_listings_are_stored_with_their_source_and_time_and_each_check_is_recorded(catalog, series_service):
    add_books(catalog, "Wayfarers", "1", "2", ("4", "ebook,audiobook"))
    series_id = series_service.series_id("Wayfarers")
    hardcover = numbered("hardcover", 5, name="Wayfarers")
    hardcover.provider_series_id = "hc-77"

    gaps = series_service.record_listings(series_id, [hardcover], fetched_at=datetime(2025, 5, 1, 12))

    assert gaps.overall.missing_labels == ["3", "5"] and gaps.total == 5
    assert series_service.listings(series_id) == [hardcover]
    with catalog.read() as session:
        stored = session.execute(text("SELECT source, fetched_at FROM series_listings")).all()
        series = session.get(Series, series_id)
        assert json.loads(series.provider_ids) == {"hardcover": "hc-77"} and series.total_count == 5
    assert [(s, str(t)[:19]) for s, t in stored] == [("hardcover", "2025-05-01 12:00:00")]
    any_kind, ebook, audiobook = _by_kind(series_service.history(series_id))
    assert (any_kind.owned, any_kind.missing, any_kind.total, any_kind.sources) == (3, 2, 5, ("hardcover",))
    assert (ebook.owned, ebook.missing) == (3, 2)
    assert (audiobook.owned, audiobook.missing) == (1, 4)

    # A fresher listing from the same source replaces it; the history keeps both checks.
    series_service.record_listings(series_id, [numbered("hardcover", 6, name="Wayfarers")],
                                   fetched_at=datetime(2025, 6, 1))
    assert len(series_service.listings(series_id)[0].entries) == 6
    history = series_service.history(series_id)
    assert len(history) == 6 and history[0].checked_at == datetime(2025, 6, 1) and history[0].missing == 3


def _by_kind(checks):
    latest = {}
    for check in checks:
        latest.setdefault(check.media_kind, check)
    return latest["any"], latest["ebook"], latest["audiobook"]


def test_stored_listings_of_several_sources_come_back_in_the_order_of_preference(catalog, series_service):
    add_books(catalog, "Wayfarers", "1")
    series_id = series_service.series_id("Wayfarers")
    series_service.record_listings(series_id, [numbered("audnexus", 2, name="Wayfarers")])
    series_service.record_listings(series_id, [numbered("hardcover", 3, name="Wayfarers")])

    assert [x.source for x in series_service.listings(series_id)] == ["hardcover", "audnexus"]
    [gaps] = series_service.gaps("Wayfarers")
    assert gaps.sources == ("hardcover", "audnexus") and gaps.total == 3


def test_listings_for_an_unknown_series_are_refused(series_service):
    with pytest.raises(NotFoundError):
        series_service.record_listings(999, [numbered("hardcover", 2)])


def test_summaries_give_the_series_view_its_rows(catalog, series_service):
    add_books(catalog, "Wayfarers", ("1", "ebook,audiobook"), ("2", "ebook"), ("4", "ebook"), author="Becky Chambers")
    series_id = series_service.series_id("Wayfarers")
    series_service.set_monitored(series_id)

    [row] = series_service.summaries()

    assert (row.name, row.authors, row.monitored, row.ignored, row.total) == \
        ("Wayfarers", "Becky Chambers", True, False, None)
    assert (row.overall.owned, row.overall.missing, row.overall.status) == (3, 1, "partial")
    assert row.completion == 75.0 and row.has_gaps and row.missing == 1
    assert (row.ebook.owned, row.ebook.missing) == (3, 1)
    assert (row.audiobook.owned, row.audiobook.missing, row.audiobook.completion) == (1, 3, 25.0)


def test_the_answer_is_kept_until_the_catalog_changes(catalog, series_service):
    add_books(catalog, "Wayfarers", "1", "3")
    first = series_service.summaries()
    assert series_service.summaries() == first  # the same, from memory

    add_books(catalog, "Wayfarers", "2")  # any commit, by anyone, makes it stale

    [row] = series_service.summaries()
    assert row.missing == 0 and row.overall.owned == 3


def test_entries_list_owned_books_and_ghosts_for_the_missing_in_series_order(catalog, series_service):
    ids = add_books(catalog, "Wayfarers", ("Prequel", "ebook"), ("1", "ebook,audiobook"), ("3", "ebook"),
                    ("4", "", "wanted"))
    series_id = series_service.series_id("Wayfarers")
    cover = "https://covers.example/5.jpg"
    series_service.record_listings(series_id, [listing(
        "hardcover", listed("1"), listed("2", "Two"), listed("3"), listed("4"),
        listed("5", "Five", release_date=date(2030, 1, 1), cover_url=cover), name="Wayfarers")])

    entries = series_service.entries(series_id)

    assert [(e.label, e.state) for e in entries] == [
        ("Prequel", "owned"), ("1", "owned"), ("2", "missing"), ("3", "owned"), ("4", "wanted"), ("5", "upcoming")]
    prequel, one, two, three, four, five = entries
    assert one.work_id == ids["1"] and one.media_kinds == ("ebook", "audiobook") and one.missing_kinds == ()
    assert three.missing_kinds == ("audiobook",)
    assert two.work_id is None and two.title == "Two" and two.sources == ("hardcover",)
    assert four.work_id == ids["4"] and four.media_kinds == ()
    assert (five.title, five.release_date, five.cover_url) == ("Five", date(2030, 1, 1), cover)


def test_an_ignored_series_has_no_gaps_in_the_lists_unless_asked_for(catalog, series_service):
    add_books(catalog, "Wayfarers", "1", "3")
    add_books(catalog, "Other", "1")
    series_id = series_service.series_id("Wayfarers")

    series_service.ignore_series(series_id)

    assert [g.name for g in series_service.gaps()] == ["Other"]
    assert [g.name for g in series_service.gaps(include_ignored=True)] == ["Other", "Wayfarers"]
    [named] = series_service.gaps("Wayfarers")  # asked for by name, it is shown, marked
    assert named.ignored and named.overall.missing_labels == ["2"]
    assert [r.ignored for r in series_service.summaries()] == [False, True]
    series_service.ignore_series(series_id, ignored=False)
    assert [g.name for g in series_service.gaps()] == ["Other", "Wayfarers"]


def test_ignoring_a_missing_book_takes_it_off_the_missing_list_and_back(catalog, series_service):
    add_books(catalog, "Wayfarers", "1", "3")
    series_id = series_service.series_id("Wayfarers")

    work_id = series_service.ignore_position(series_id, "2")

    [gaps] = series_service.gaps("Wayfarers")
    assert gaps.complete and gaps.ignored_positions == ("2",)
    assert [(e.label, e.state) for e in series_service.entries(series_id)][1] == ("2", "ignored")
    series_service.ignore_work(work_id, ignored=False)
    assert series_service.gaps("Wayfarers")[0].overall.missing_labels == ["2"]


def test_ignoring_a_wanted_book_is_allowed_but_not_a_book_with_files(catalog, series_service):
    ids = add_books(catalog, "Wayfarers", "1", ("2", "", "wanted"))

    series_service.ignore_work(ids["2"])

    assert series_service.wanted() == []
    assert series_service.gaps("Wayfarers")[0].complete
    with pytest.raises(UsageError):
        series_service.ignore_work(ids["1"])


def test_setting_flags_on_a_series_that_is_not_there_is_an_error(series_service):
    with pytest.raises(NotFoundError):
        series_service.set_monitored(12345)
    with pytest.raises(NotFoundError):
        series_service.ignore_series(12345)
    with pytest.raises(NotFoundError):
        series_service.entries(12345)


def test_monitoring_is_stored_on_the_series(catalog, series_service):
    add_books(catalog, "Wayfarers", "1")
    series_id = series_service.series_id("Wayfarers")

    series_service.set_monitored(series_id)
    with catalog.read() as session:
        assert session.execute(select(Series.monitored)).scalar() is True
    series_service.set_monitored(series_id, False)
    assert series_service.summaries()[0].monitored is False
