"""``bookdesk gaps``, ``bookdesk wanted`` and ``bookdesk authors``: JSON shapes, text and exit codes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bookdesk.app import main
from bookdesk.core.series.service import SeriesService
from bookdesk.data.catalog import open_catalog
from tests.core.series.series_builders import add_books, listed, listing

SERIES_KEYS = {"id", "name", "authors", "owned", "missing", "total", "complete", "sources", "status", "completion", "monitored",
               "ignored", "upcoming", "ignored_positions", "missing_books", "media", "confidence", "flags"}


@pytest.fixture
def library(library_dir: Path) -> Path:
    """A library with a series known only to itself, one a provider listed, and a complete one."""
    catalog = open_catalog(library_dir)
    try:
        add_books(catalog, "Wayfarers", ("1", "ebook,audiobook"), ("2", "ebook"), ("4", "ebook"),
                  author="Becky Chambers")
        add_books(catalog, "Earthsea", "1-3", ("5", "audiobook"), author="Ursula K. Le Guin")
        add_books(catalog, "Complete", "1", "2", author="Ann Author")
        service = SeriesService(catalog)
        try:
            earthsea = service.series_id("Earthsea")
            service.record_listings(earthsea, [listing(
                "hardcover", *(listed(str(n), f"Earthsea {n}") for n in range(1, 7)),
                listed("7", "Later", release_date=date(2099, 1, 1)), name="Earthsea", total=6)])
            service.want_missing(service.series_id("Wayfarers"))
        finally:
            service.close()
    finally:
        catalog.close()
    return library_dir


def run_json(capsys, *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one document, one line
    return json.loads(out)


def test_gaps_json_lists_every_series_with_owned_missing_total_and_sources(library, capsys):
    document = run_json(capsys, "gaps", "--library", str(library))

    assert set(document) == {"series"}
    by_name = {s["name"]: s for s in document["series"]}
    assert list(by_name) == ["Complete", "Earthsea", "Wayfarers"]
    for series in document["series"]:
        assert set(series) == SERIES_KEYS
    wayfarers = by_name["Wayfarers"]
    assert (wayfarers["owned"], wayfarers["missing"], wayfarers["total"], wayfarers["complete"],
            wayfarers["sources"]) == (["1", "2", "4"], ["3"], None, False, [])
    assert wayfarers["media"]["audiobook"] == {"owned": ["1"], "missing": ["2", "3", "4"], "completion": 25.0,
                                               "status": "partial"}
    assert wayfarers["missing_books"][0]["wanted_work_id"] is not None
    earthsea = by_name["Earthsea"]
    assert (earthsea["owned"], earthsea["missing"], earthsea["total"], earthsea["sources"]) == \
        (["1-3", "5"], ["4", "6"], 6, ["hardcover"])
    assert earthsea["confidence"] == "Hardcover lists 6 primary books; you have 4; missing 4 and 6; 7 not out yet"
    assert earthsea["missing_books"][0] == {"label": "4", "title": "Earthsea 4", "authors": [], "release_date": None,
                                            "cover_url": None, "sources": ["hardcover"], "wanted_work_id": None}
    assert earthsea["upcoming"][0]["release_date"] == "2099-01-01"
    assert by_name["Complete"]["complete"] is True and by_name["Complete"]["status"] == "complete"


def test_gaps_of_one_series_by_name(library, capsys):
    document = run_json(capsys, "gaps", "--library", str(library), "--series", "earthsea")

    assert [s["name"] for s in document["series"]] == ["Earthsea"]


def test_gaps_as_text_shows_the_series_with_gaps_and_a_count(library, capsys):
    assert main(["gaps", "--library", str(library)]) == 0
    lines = capsys.readouterr().out.splitlines()

    assert lines[-1] == "3 series, 2 with gaps, 3 book(s) missing"
    assert any(line.startswith("Wayfarers (Becky Chambers): partial, 75%; you have 1, 2, 4; missing 3") for line in lines)
    assert not any(line.startswith("Complete") for line in lines)

    assert main(["gaps", "--library", str(library), "--series", "Earthsea"]) == 0
    detail = capsys.readouterr().out
    assert "#4 Earthsea 4" in detail and "Hardcover lists 6 primary books" in detail


def test_wanted_json_lists_the_wanted_books(library, capsys):
    document = run_json(capsys, "wanted", "--library", str(library))

    assert set(document) == {"wanted"}
    [book] = document["wanted"]
    assert set(book) == {"id", "title", "authors", "series", "media_kinds", "status", "release_date", "cover_url"}
    assert (book["title"], book["authors"], book["series"], book["status"], book["media_kinds"]) == \
        ("Wayfarers #3", "Becky Chambers", [{"name": "Wayfarers", "position": "3"}], "wanted", [])

    assert main(["wanted", "--library", str(library)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 wanted book(s)"


def test_authors_json_gives_owned_and_missing_per_media_kind(library, capsys):
    document = run_json(capsys, "authors", "--library", str(library))

    assert set(document) == {"authors"}
    by_name = {a["name"]: a for a in document["authors"]}
    assert set(by_name) == {"Becky Chambers", "Ursula K. Le Guin", "Ann Author"}
    becky = by_name["Becky Chambers"]
    assert set(becky) == {"id", "name", "sort_name", "aliases", "monitored", "series", "wanted", "owned", "missing",
                          "completion", "status"}
    assert becky["owned"] == {"any": 3, "ebook": 3, "audiobook": 1}
    assert becky["missing"] == {"any": 1, "ebook": 1, "audiobook": 3}
    assert becky["status"] == {"any": "partial", "ebook": "partial", "audiobook": "partial"}
    assert (becky["wanted"], becky["series"], becky["sort_name"]) == (1, 1, "Chambers, Becky")
    assert by_name["Ursula K. Le Guin"]["missing"]["any"] == 2


def test_an_unknown_series_fails_with_a_message_and_only_the_reason_on_stdout(library, capsys):
    assert main(["gaps", "--library", str(library), "--series", "No Such Series", "--json"]) == 1
    captured = capsys.readouterr()
    assert "No Such Series" in json.loads(captured.out)["error"]["message"] and "No Such Series" in captured.err


def test_a_folder_without_a_library_fails_and_is_not_made_into_one(tmp_path, capsys):
    empty = tmp_path / "nothing here"
    for command in ("gaps", "wanted", "authors"):
        assert main([command, "--library", str(empty), "--json"]) == 1
        captured = capsys.readouterr()
        assert "no BookDesk library" in json.loads(captured.out)["error"]["message"]
        assert "no BookDesk library" in captured.err
    assert not (empty / "bookdesk.sqlite3").exists()


def test_bad_usage_exits_2(run_cli, library):
    done = run_cli("gaps", "--library", library, "--no-such-option")
    assert done.returncode == 2 and done.stdout == ""


def test_the_commands_read_a_library_another_bookdesk_has_open(run_cli, library, held_by_another_process):
    with held_by_another_process(library):
        for command in ("gaps", "wanted", "authors"):
            done = run_cli(command, "--library", library, "--json")
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)


def test_a_partial_audible_listing_does_not_read_as_the_whole_series(library_dir, capsys):
    catalog = open_catalog(library_dir)
    try:
        add_books(catalog, "Harry Potter", ("1", "audiobook"), author="J.K. Rowling")
        service = SeriesService(catalog)
        try:  # Audnexus lists only the audiobooks it is asked about, with no count of the series
            service.record_listings(service.series_id("Harry Potter"), [listing(
                "audnexus", listed("1", "Harry Potter and the Sorcerer's Stone"), name="Harry Potter")])
        finally:
            service.close()
    finally:
        catalog.close()

    [series] = run_json(capsys, "gaps", "--library", str(library_dir), "--series", "Harry Potter")["series"]

    assert series["total"] is None and series["sources"] == ["audnexus"]
    assert "primary" not in series["confidence"] and series["confidence"].endswith("it is not known to be complete")
    assert main(["gaps", "--library", str(library_dir), "--series", "Harry Potter"]) == 0
    assert "Audible lists 1 book of this series but not how many it has" in capsys.readouterr().out
