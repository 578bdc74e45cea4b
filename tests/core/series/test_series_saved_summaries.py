"""The Series view's rows saved between runs: used at a fresh start only while the catalog is unchanged."""

from __future__ import annotations

import json

import pytest
from series_builders import TODAY, add_books
from sqlalchemy import text

from bookdesk.core.library_service import LibraryService
from bookdesk.core.series import snapshot, summary_cache
from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.listing import ListedBook, SeriesListing
from bookdesk.core.series.service import SeriesService
from bookdesk.data.revisions import series_revision
from bookdesk.data.work_repository import WorkRepository


@pytest.fixture
def cache_file(tmp_path):
    return tmp_path / "cache" / "series.json"


@pytest.fixture
def shelves(catalog):
    return {"Dune": add_books(catalog, "Dune", "1", "3"), "Earthsea": add_books(catalog, "Earthsea", "1", "2")}


def new_service(catalog, cache_file, policy=None):
    # Not the answers kept in the catalog (test_kept_gap_answers.py): what these tests count is the rows file.
    return SeriesService(catalog, policy or GapPolicy(today=TODAY), cache_file=cache_file, keep_answers=False)


def rows(summaries):
    return {s.name: (s.overall.owned, s.missing, s.status, s.monitored) for s in summaries}


@pytest.fixture
def analyses(monkeypatch):
    """Each time a service worked every series out from the catalog (rather than taking saved rows)."""
    made: list[int] = []
    build = snapshot.build

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the real build, counted
        made.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(snapshot, "build", counted)
    return made


def revision(catalog) -> int:
    with catalog.read() as session:
        return series_revision(session)


def test_a_fresh_start_on_an_unchanged_catalog_takes_the_saved_rows_without_working_anything_out(
        catalog, shelves, cache_file, analyses):
    first = new_service(catalog, cache_file)
    worked_out = first.summaries()
    assert cache_file.is_file() and len(analyses) == 1

    second = new_service(catalog, cache_file)
    saved = second.summaries()

    assert len(analyses) == 1  # nothing was worked out again
    assert saved == worked_out
    assert rows(saved)["Dune"] == (2, 1, "partial", False)


@pytest.mark.parametrize("change", ["new book", "file removed", "status", "series renamed", "monitored",
                                    "entry label", "listing", "authors", "work deleted"])
def test_any_change_the_analysis_reads_moves_the_revision_and_the_next_start_works_it_out_again(
        catalog, shelves, cache_file, change, analyses):
    new_service(catalog, cache_file).summaries()
    before = revision(catalog)
    dune_3 = shelves["Dune"]["3"]
    if change == "new book":
        add_books(catalog, "Dune", "2")
    elif change == "file removed":
        with catalog.write() as session:
            session.execute(text("DELETE FROM files WHERE work_id = :id"), {"id": dune_3})
            WorkRepository(session).refresh([dune_3])
    elif change == "status":
        LibraryService(catalog).edit(dune_3, "status", "ignored")
    elif change == "series renamed":
        with catalog.write() as session:
            session.execute(text("UPDATE series SET name = 'Dune Chronicles' WHERE name = 'Dune'"))
    elif change == "monitored":
        service = new_service(catalog, None)
        service.set_monitored(next(s.id for s in service.summaries() if s.name == "Dune"))
    elif change == "entry label":
        with catalog.write() as session:
            session.execute(text("UPDATE series_entries SET label = '2', sort_key = 2 WHERE work_id = :id"),
                            {"id": dune_3})
    elif change == "listing":
        service = new_service(catalog, None)
        dune = next(s.id for s in service.summaries() if s.name == "Dune")
        service.record_listings(dune, [SeriesListing("hardcover", "Dune", "hc-1", 4,
                                                     [ListedBook(label) for label in "1234"])])
    elif change == "authors":
        LibraryService(catalog).edit(dune_3, "authors", ["Frank Herbert"])
    elif change == "work deleted":
        with catalog.write() as session:
            session.execute(text("DELETE FROM works WHERE id = :id"), {"id": dune_3})
    assert revision(catalog) > before

    before_start = len(analyses)
    got = new_service(catalog, cache_file).summaries()

    assert len(analyses) == before_start + 1  # worked out again, not taken from the file
    assert got == new_service(catalog, None).summaries()


def test_an_unrelated_edit_keeps_the_saved_rows(catalog, shelves, cache_file):
    new_service(catalog, cache_file).summaries()
    before = revision(catalog)
    LibraryService(catalog).edit(shelves["Dune"]["1"], "tags", ["Favourites"])
    assert revision(catalog) == before
    assert new_service(catalog, cache_file).summaries()[0].name == "Dune"


def test_another_policy_or_day_does_not_take_rows_saved_under_a_different_one(catalog, shelves, cache_file,
                                                                                analyses):
    new_service(catalog, cache_file).summaries()
    new_service(catalog, cache_file, GapPolicy(today=TODAY, novellas=True)).summaries()
    assert len(analyses) == 2


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"key": 1}', b'{"key": null, "rows": [[1]]}'])
def test_a_broken_cache_file_is_ignored_and_replaced(catalog, shelves, cache_file, content, analyses):
    expected = new_service(catalog, None).summaries()
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(content)

    assert new_service(catalog, cache_file).summaries() == expected
    assert len(analyses) == 2  # the broken file was not taken
    assert new_service(catalog, cache_file).summaries() == expected
    assert len(analyses) == 2  # the file that replaced it was


def test_saved_rows_with_a_matching_key_but_the_wrong_shape_are_ignored(catalog, shelves, cache_file, analyses):
    expected = new_service(catalog, cache_file).summaries()
    saved = json.loads(cache_file.read_text())
    cache_file.write_text(json.dumps({"key": saved["key"], "rows": [["x"]]}))

    assert new_service(catalog, cache_file).summaries() == expected
    assert len(analyses) == 2  # worked out again


def test_an_unwritable_cache_folder_costs_only_speed(catalog, shelves, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    assert new_service(catalog, blocker / "series.json").summaries()


def test_each_catalog_has_its_own_cache_file(tmp_path):
    assert summary_cache.cache_file_for(tmp_path, tmp_path / "a" / "bookdesk.sqlite3") != \
        summary_cache.cache_file_for(tmp_path, tmp_path / "b" / "bookdesk.sqlite3")


def test_rows_worked_out_again_after_changes_are_written_once_when_the_service_closes(catalog, shelves, cache_file,
                                                                                    analyses):
    service = new_service(catalog, cache_file)
    service.summaries()
    written = cache_file.read_bytes()
    for added, label in enumerate(("2", "4", "5"), start=1):  # a job's batches, each committed
        add_books(catalog, "Dune", label)
        assert rows(service.summaries())["Dune"][0] == 2 + added
        assert cache_file.read_bytes() == written  # not the whole list again after each batch
    service.close()

    assert cache_file.read_bytes() != written
    analyses.clear()
    assert rows(new_service(catalog, cache_file).summaries())["Dune"] == (5, 0, "complete", False)
    assert not analyses  # the next start takes what the first wrote as it closed


def test_warming_up_works_everything_out_even_with_saved_rows_so_later_edits_are_cheap(catalog, shelves, cache_file,
                                                                                       analyses):
    new_service(catalog, cache_file).summaries()
    service = new_service(catalog, cache_file)
    service.warm()
    assert len(analyses) == 2
    add_books(catalog, "Dune", "2")
    assert rows(service.summaries())["Dune"] == (3, 0, "complete", False)
    assert len(analyses) == 2  # the edit brought one series up to date, not all of them again


def test_more_rows_than_one_dump_takes_are_saved_and_read_back_whole(tmp_path):
    from bookdesk.core.series.summaries import KindFigures, SeriesOverview

    figures = KindFigures(1, 2, 0.5, "gaps")
    made = [SeriesOverview(n, f"Série {n}", "Ann Leckie", n % 2 == 0, False, None if n % 3 else n, figures, figures,
                           figures, ("hardcover",), n % 5 == 0)
            for n in range(summary_cache.ROWS_PER_DUMP * 2 + 7)]
    path = tmp_path / "series.json"
    summary_cache.save(path, ["key", 1], made)
    assert summary_cache.load(path, ["key", 1]) == made
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == ["key", 1]
