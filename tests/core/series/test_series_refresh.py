"""After a change the service works out again only the series that changed, and never misses one."""

from __future__ import annotations

import pytest
from series_builders import TODAY, add_books, numbered
from sqlalchemy import text

from bookdesk.core.library_service import LibraryService
from bookdesk.core.series import snapshot as snapshots
from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.service import SeriesService
from bookdesk.data import gap_fingerprints
from bookdesk.data.catalog_rows import NewFile
from bookdesk.data.work_repository import WorkRepository


@pytest.fixture
def series_service(catalog):
    service = SeriesService(catalog, GapPolicy(today=TODAY))
    yield service
    service.close()


@pytest.fixture
def shelves(catalog):
    """Three series: the one the test changes, and two that must be left alone."""
    return {"Changed": add_books(catalog, "Changed", "1", "3"), "Other": add_books(catalog, "Other", "1", "2"),
            "Third": add_books(catalog, "Third", ("1", "ebook,audiobook"))}


def kept_and_redone(before: list, after: list) -> tuple[set[str], set[str]]:
    old = {g.name: g for g in before}
    kept = {g.name for g in after if old.get(g.name) is g}
    return kept, {g.name for g in after} - kept


def test_the_fingerprints_summed_in_sql_match_those_summed_while_reading(catalog, series_service, shelves,
                                                                         monkeypatch):
    built: list[snapshots.Snapshot] = []
    build = snapshots.build
    monkeypatch.setattr(snapshots, "build", lambda *args, **kwargs: built.append(build(*args, **kwargs)) or built[-1])
    add_books(catalog, "Odd", ("1-3", ""), ("Prequel", "audiobook"), ("2.5", "", "wanted"), ("", "", "ignored"))
    with catalog.write() as session:
        session.execute(text("UPDATE series_entries SET sort_key = 1e300 WHERE label = '2.5'"))
        session.execute(text("UPDATE works SET first_published = 'next spring' WHERE status = 'wanted'"))
    series_service.gaps()

    with catalog.read() as session:
        snapshot = built[-1]  # what the service worked out while reading
        assert gap_fingerprints.series_fingerprints(session) == snapshot.fingerprints
        assert gap_fingerprints.entry_sums(session) == snapshot.entry_sums
        some = sorted(snapshot.fingerprints)[:2]
        assert gap_fingerprints.series_fingerprints(session, some) == {i: snapshot.fingerprints[i] for i in some}


def test_an_unrelated_change_keeps_every_series_as_it_was(catalog, series_service, shelves):
    before = series_service.gaps()
    LibraryService(catalog).edit(shelves["Other"]["1"], "tags", ["Favourites"])

    kept, redone = kept_and_redone(before, series_service.gaps())

    assert redone == set() and kept == {"Changed", "Other", "Third"}


def test_a_book_added_to_one_series_redoes_that_series_only(catalog, series_service, shelves):
    before = series_service.gaps()
    add_books(catalog, "Changed", "2")

    after = series_service.gaps()

    assert kept_and_redone(before, after) == ({"Other", "Third"}, {"Changed"})
    assert next(g for g in after if g.name == "Changed").complete


def test_a_status_edit_is_seen(catalog, series_service, shelves):
    series_service.summaries()
    LibraryService(catalog).edit(shelves["Other"]["2"], "status", "ignored")
    with catalog.write() as session:  # its file goes too, so the book is only an ignored one
        session.execute(text("DELETE FROM files WHERE work_id = :id"), {"id": shelves["Other"]["2"]})
        WorkRepository(session).refresh([shelves["Other"]["2"]])

    other = next(g for g in series_service.gaps() if g.name == "Other")

    assert other.ignored_positions == ("2",) and other.overall.owned == ("1",)
    assert next(r for r in series_service.summaries() if r.name == "Other").overall.owned == 1


def test_a_file_added_to_a_book_is_seen(catalog, series_service, shelves):
    series_service.gaps()
    with catalog.write() as session:
        WorkRepository(session).add_file(shelves["Other"]["1"], NewFile(
            path="Other/1.m4b", format="m4b", media_kind="audiobook", size=1, mtime=0.0, content_hash="f" * 64))

    other = next(g for g in series_service.gaps() if g.name == "Other")

    assert other.audiobook.owned == ("1",)


def test_a_new_listing_a_renamed_series_and_a_deleted_book_are_seen(catalog, series_service, shelves):
    before = series_service.gaps()
    series_service.record_listings(series_service.series_id("Third"), [numbered("hardcover", 2, name="Third")])
    with catalog.write() as session:
        session.execute(text("UPDATE series SET name = 'Renamed' WHERE name = 'Other'"))
        WorkRepository(session).delete([shelves["Changed"]["3"]])

    after = {g.name: g for g in series_service.gaps()}

    assert after["Third"].overall.missing_labels == ["2"] and after["Third"].sources == ("hardcover",)
    assert "Renamed" in after and "Other" not in after
    assert after["Changed"].overall.owned == ("1",) and after["Changed"].complete
    assert kept_and_redone(before, list(after.values()))[0] == set()


def test_an_edit_of_a_books_place_in_a_series_is_seen_though_no_work_changed(catalog, series_service, shelves):
    before = series_service.gaps()
    series_service.gaps()  # the second reading notes the works' checksum
    LibraryService(catalog).edit(shelves["Changed"]["3"], "series", [{"name": "Changed", "label": "2"}])

    after = series_service.gaps()

    assert kept_and_redone(before, after) == ({"Other", "Third"}, {"Changed"})
    assert next(g for g in after if g.name == "Changed").complete


def test_changes_one_after_another_are_each_seen(catalog, series_service, shelves):
    library = LibraryService(catalog)
    series_service.gaps()
    library.edit(shelves["Other"]["1"], "tags", ["x"])  # nothing the analysis reads
    series_service.gaps()
    add_books(catalog, "Changed", "2")  # a new work: the works' checksum moves
    assert next(g for g in series_service.gaps() if g.name == "Changed").complete
    library.edit(shelves["Other"]["2"], "series", [{"name": "Other", "label": "5"}])  # entries only
    assert next(g for g in series_service.gaps() if g.name == "Other").overall.missing_labels == ["2", "3", "4"]
    library.edit(shelves["Third"]["1"], "status", "wanted")  # a work only
    third = next(r for r in series_service.summaries() if r.name == "Third")
    assert third.overall.owned == 1  # it still has its files


def test_many_changes_at_once_are_worked_out_afresh(catalog, series_service, shelves, monkeypatch):
    series_service.gaps()
    monkeypatch.setattr(snapshots, "REFRESH_LIMIT", 1)
    add_books(catalog, "Changed", "2")
    add_books(catalog, "Other", "3")

    after = {g.name: g for g in series_service.gaps()}

    assert after["Changed"].complete and after["Other"].overall.owned == ("1", "2", "3")


def test_a_one_off_service_answers_the_same_without_fingerprints_and_takes_the_kept_answers(catalog, shelves,
                                                                                            monkeypatch):
    builds: list[int] = []
    build = snapshots.build
    monkeypatch.setattr(snapshots, "build", lambda *args, **kwargs: builds.append(1) or build(*args, **kwargs))
    following = SeriesService(catalog, GapPolicy(today=TODAY))
    one_off = SeriesService(catalog, GapPolicy(today=TODAY), follow_changes=False)
    try:
        key = [(g.name, g.overall.missing_labels, g.ebook.missing_labels, g.audiobook.missing_labels)
               for g in following.gaps()]
        assert [(g.name, g.overall.missing_labels, g.ebook.missing_labels, g.audiobook.missing_labels)
                for g in one_off.gaps()] == key
        built = len(builds)
        add_books(catalog, "Changed", "2")
        after = {g.name: g for g in one_off.gaps()}
        assert after["Changed"].complete
        # Not built again in full, though it kept no fingerprints to refresh from: the answers kept in the
        # catalog stand for the series that did not change (test_kept_gap_answers.py).
        assert len(builds) == built
    finally:
        following.close()
        one_off.close()
