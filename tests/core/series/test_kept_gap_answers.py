"""Each series' gap answer kept in the catalog (migration 0013): a later reader, in a new service, gets exactly
what a fresh analysis answers, and after a change works out again only the series that changed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from series_builders import TODAY, add_books, listed, listing, numbered
from sqlalchemy import text

from bookdesk.core.library_service import LibraryService
from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.gaps_json import gaps_json
from bookdesk.core.series.service import SeriesService
from bookdesk.data.abs_link_repository import AbsLinkRepository, LinkValues
from bookdesk.data.catalog import CATALOG_NAME, open_catalog
from bookdesk.data.work_repository import WorkRepository

POLICY = GapPolicy(language="en", today=TODAY)


@pytest.fixture
def shelves(catalog):
    """Series of every kind the rules tell apart: plain, listed with details and a book not out yet, wanted,
    an omnibus and a prequel, audiobooks, and one the person ignores."""
    made = {"Plain": add_books(catalog, "Plain", "1", "3"),
            "Listed": add_books(catalog, "Listed", ("1", "ebook,audiobook"), "2", author="Lee Lister"),
            "Odd": add_books(catalog, "Odd", ("1-3", "ebook"), ("Prequel", "audiobook"), ("5", "", "wanted")),
            "Ignored": add_books(catalog, "Ignored", "2")}
    service = SeriesService(catalog, POLICY, keep_answers=False)
    try:
        service.record_listings(service.series_id("Listed"), [listing(
            "hardcover", *(listed(str(n), f"Listed {n}", authors=["Lee Lister"], language="en",
                                  release_date=date(2001 + n, 1, 1), identifiers={"isbn": f"97800000000{n}"},
                                  cover_url=f"https://covers.example/{n}.jpg") for n in range(1, 5)),
            listed("5", "Later", release_date=date(2099, 1, 1)), name="Listed", total=4)],
            fetched_at=datetime(2025, 5, 1))
        service.ignore_series(service.series_id("Ignored"))
    finally:
        service.close()
    return made


def whole(found: list) -> list:
    """Everything a SeriesGaps tells, down to each missing book's listing details and the sentences."""
    return [(gaps_json(g, "x"), g, [(k.owned, k.missing) for k in (g.overall, g.ebook, g.audiobook)], g.upcoming,
             g.reports, g.flags, g.confidence, [k.listed_authors(p) for k in (g.overall, g.audiobook)
                                                for p in k.missing_positions]) for g in found]


def answered(catalog, *, keep: bool = True, worked_out: list | None = None, policy: GapPolicy = POLICY) -> list:
    """Every series' gaps from a new service, as a new ``bookdesk gaps`` run finds them; the series it worked
    out go to ``worked_out``."""
    service = SeriesService(catalog, policy, follow_changes=False, keep_answers=keep)
    if worked_out is not None:
        rules = service._gaps
        service._gaps = lambda series, *rest: worked_out.extend(r.name for r in series) or rules(series, *rest)
    try:
        return service.gaps(include_ignored=True)
    finally:
        service.close()


def kept_follows(catalog) -> set[str]:
    """The series a new reader worked out again; its answer checked against a fresh analysis."""
    worked_out: list[str] = []
    found = answered(catalog, worked_out=worked_out)
    assert whole(found) == whole(answered(catalog, keep=False))
    assert whole(answered(catalog)) == whole(found)  # and what it worked out was kept
    return set(worked_out)


def test_kept_answers_are_those_of_a_fresh_analysis_and_nothing_is_worked_out_again(catalog, shelves):
    first: list[str] = []
    fresh = answered(catalog, keep=False)
    assert whole(answered(catalog, worked_out=first)) == whole(fresh)
    assert set(first) == {"Plain", "Listed", "Odd", "Ignored"}

    assert kept_follows(catalog) == set()
    listed_series = next(g for g in answered(catalog) if g.name == "Listed")
    assert listed_series.overall.missing[0].title == "Listed 3" and listed_series.upcoming[0].title == "Later"


def test_a_book_added_is_followed(catalog, shelves):
    answered(catalog)
    add_books(catalog, "Plain", "2")
    assert kept_follows(catalog) == {"Plain"}
    assert next(g for g in answered(catalog) if g.name == "Plain").complete


def test_a_book_removed_is_followed(catalog, shelves):
    answered(catalog)
    with catalog.write() as session:
        WorkRepository(session).delete([shelves["Plain"]["3"]])
    assert kept_follows(catalog) == {"Plain"}


def test_a_book_moved_to_another_place_in_its_series_is_followed(catalog, shelves):
    answered(catalog)
    LibraryService(catalog).edit(shelves["Plain"]["3"], "series", [{"name": "Plain", "label": "2"}])
    assert kept_follows(catalog) == {"Plain"}
    assert next(g for g in answered(catalog) if g.name == "Plain").complete


def test_a_status_changed_is_followed(catalog, shelves):
    answered(catalog)
    LibraryService(catalog).edit(shelves["Odd"]["5"], "status", "ignored")
    assert kept_follows(catalog) == {"Odd"}


def test_a_new_listing_is_followed(catalog, shelves):
    answered(catalog)
    service = SeriesService(catalog, POLICY, keep_answers=False)
    try:
        service.record_listings(service.series_id("Plain"), [numbered("audnexus", 4, name="Plain")])
    finally:
        service.close()
    assert kept_follows(catalog) == {"Plain"}
    assert next(g for g in answered(catalog) if g.name == "Plain").overall.missing_labels == ["2", "4"]


def test_a_book_an_audiobookshelf_server_holds_is_followed(catalog, shelves):
    answered(catalog)
    with catalog.write() as session:
        links = AbsLinkRepository(session)  # as a pull keeps a link
        links.save("Home", LinkValues("lib", "item-1", shelves["Plain"]["1"], "asin", True, False, "Plain/1", 1, {},
                                      False, None, None), now=datetime(2025, 5, 1))
        links.refresh_on_server([shelves["Plain"]["1"]])
    assert kept_follows(catalog) == {"Plain"}
    assert next(g for g in answered(catalog) if g.name == "Plain").audiobook.owned == ("1",)


def test_a_series_renamed_monitored_or_no_longer_ignored_is_followed(catalog, shelves):
    answered(catalog)
    with catalog.write() as session:
        session.execute(text("UPDATE series SET name = 'Renamed' WHERE name = 'Plain'"))
        session.execute(text("UPDATE series SET ignored = 0, monitored = 1 WHERE name = 'Ignored'"))
    assert kept_follows(catalog) == {"Renamed", "Ignored"}


def test_another_policy_or_day_is_worked_out_apart_and_both_are_kept(catalog, shelves):
    answered(catalog)
    later = GapPolicy(language="en", today=date(2100, 1, 1))  # the listing's book 5 is out by then
    service = SeriesService(catalog, later, follow_changes=False)
    try:
        listed_series = next(g for g in service.gaps() if g.name == "Listed")
    finally:
        service.close()
    assert listed_series.overall.missing_labels == ["3", "4", "5"] and not listed_series.upcoming
    assert kept_follows(catalog) == set()


def test_a_catalog_that_takes_no_change_is_answered_and_keeps_nothing(library_dir, catalog, shelves, immutable):
    fresh = whole(answered(catalog, keep=False))
    catalog.close()
    immutable(library_dir / CATALOG_NAME)
    read_only = open_catalog(library_dir, exclusive=False, create=False)
    try:
        assert read_only.read_only
        assert whole(answered(read_only)) == fresh
        with read_only.read() as session:
            assert session.execute(text("SELECT count(*) FROM gap_answers")).scalar() == 0
    finally:
        read_only.close()


def test_a_damaged_kept_answer_is_worked_out_afresh_and_kept_anew(catalog, shelves):
    answered(catalog)
    with catalog.write() as session:
        session.execute(text("UPDATE gap_answers SET answer = '[\"Plain\", true' WHERE series_id = "
                             "(SELECT id FROM series WHERE name = 'Plain')"))

    assert whole(answered(catalog)) == whole(answered(catalog, keep=False))
    assert kept_follows(catalog) == set()


def test_a_new_day_works_out_again_only_the_series_the_day_can_change(catalog, shelves):
    answered(catalog)
    LibraryService(catalog).edit(shelves["Odd"]["5"], "first_published", "2030-01-01")  # a wanted book's date
    answered(catalog)
    next_day = GapPolicy(language="en", today=date(2100, 1, 1))  # Listed 5 and the wanted Odd 5 are out by then
    worked_out: list[str] = []

    found = answered(catalog, worked_out=worked_out, policy=next_day)

    assert set(worked_out) == {"Listed", "Odd"}
    assert whole(found) == whole(answered(catalog, keep=False, policy=next_day))
    again: list[str] = []
    assert whole(answered(catalog, worked_out=again, policy=next_day)) == whole(found) and again == []
