"""Guessing a book's metadata from where it sits and what it is called.

The layouts people have (Audiobookshelf, Readarr, calibre, LazyLibrarian, and names by hand) are
cases in ``layout_cases.tsv`` beside this file, one a line; ``bench/name_table.py`` reports how
many of them are read right.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from book_files import unit_for
from case_tables import TESTS, all_tables, differences, load

from bookdesk.core.importer.layouts import parse_name, parse_names, person_score
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.vocabulary.titles import is_part_name

DROPPED = Path("/library")  # the folder the user dropped; names are read below it only
TABLE = load(Path(__file__).with_name("layout_cases.tsv"))


def layout_row(relative: str) -> dict[str, str]:
    """What BookDesk reads from a path below the dropped folder, in the table's columns."""
    book = parse_names(unit_for(DROPPED / relative, root=DROPPED))
    series = book.series[0] if book.series else None
    return {"title": book.title, "subtitle": book.subtitle or "",
            "authors": "; ".join(c.name for c in book.authors),
            "narrators": "; ".join(c.name for c in book.narrators),
            "series": series.name if series else "", "position": series.label if series else "",
            "year": (book.published or "")[:4]}


@pytest.mark.parametrize("case", [
    pytest.param(case, id=case.input, marks=[pytest.mark.xfail(reason=case.note, strict=True)]
                 if case.known_failure else [])
    for case in TABLE.cases])
def test_every_layout_in_the_table_is_read_as_its_tool_writes_it(case):
    assert differences(case.expected, layout_row(case.input)) == {}


def test_the_name_table_bench_finds_this_table_and_reads_it_as_this_test_does():
    [found] = [t for t in all_tables(TESTS) if t.path == TABLE.path]
    read = found.reader()  # what bench/name_table.py runs

    assert found.kind == "layout" and len(found.cases) >= 60
    assert all(read(case.input) == layout_row(case.input) for case in found.cases)


# (path below the dropped folder, title, authors, identifiers)
IDENTIFIER_CASES = [
    ("Dune {Scott Brick} [B002V1OF70].m4b", "Dune", [], {"asin": "B002V1OF70"}),
    ("Some Title 978-0-306-40615-7.pdf", "Some Title", [], {"isbn": "9780306406157"}),
    ("Some Title [ISBN 0306406152].pdf", "Some Title", [], {"isbn": "9780306406157"}),
    ("Terry Goodkind/Sword of Truth/Vol 1 - Wizards First Rule [B002V0QK4C]/Audiobook.m4b", "Wizards First Rule",
     ["Terry Goodkind"], {"asin": "B002V0QK4C"}),
]


@pytest.mark.parametrize(("relative", "title", "authors", "ids"), IDENTIFIER_CASES, ids=[c[0] for c in IDENTIFIER_CASES])
def test_identifiers_in_names_are_taken_out_of_the_title(tmp_path, relative, title, authors, ids):
    book = parse_names(unit_for(tmp_path / relative, root=tmp_path))

    assert (book.title, [c.name for c in book.authors], book.identifiers) == (title, authors, ids)


@pytest.mark.parametrize(("stem", "generic"), [
    ("Audiobook", True), ("Audio File", True), ("part01", True), ("track 1", True), ("01", True),
    ("Chapter 01", True), ("Disc 1 - Track 03", True), ("Part 1 of 12", True), ("Audio Track 2", True),
    ("Audio Book", True), ("Book 1", False), ("Dune", False), ("01 - The Final Empire", False), ("1984", False),
])
def test_which_file_names_only_number_a_part(stem, generic):
    assert is_part_name(stem) is generic


@pytest.mark.parametrize("relative", [
    "Mistborn/The Final Empire.epub",  # a one-word folder: series? author? unsure
    "Apollo 13 - The Mission.epub",  # a number in a title is no series position
    "The Way of Kings - Part One.epub",
    "Books/Audiobooks/Downloads/Mystery.epub",
])
def test_unsure_guesses_are_left_empty_rather_than_wrong(tmp_path, relative):
    book = parse_names(unit_for(tmp_path / relative, root=tmp_path))

    assert book.authors == [] and book.series == []


def test_a_book_in_parts_is_named_by_its_folder_and_the_folders_above(tmp_path):
    folder = tmp_path / "Andy Weir" / "The Martian Saga" / "Book 2 - Project Hail Mary {Ray Porter}"
    parts = [folder / "CD 1" / "01.mp3", folder / "CD 2" / "01.mp3"]

    book = parse_names(unit_for(parts[0], root=tmp_path, parts=parts))

    assert book.title == "Project Hail Mary"
    assert book.contributors == [Contributor("Andy Weir"), Contributor("Ray Porter", "narrator")]
    assert book.series == [SeriesRef("The Martian Saga", "2")]


def test_a_book_folder_dropped_itself_is_named_by_that_folder(tmp_path):
    folder = tmp_path / "Andy Weir - The Martian [B00EMXBDMA]"
    parts = [folder / "Part 1.mp3", folder / "Part 2.mp3"]

    book = parse_names(unit_for(parts[0], root=folder, parts=parts))

    assert (book.title, [a.name for a in book.authors]) == ("The Martian", ["Andy Weir"])
    assert book.identifiers == {"asin": "B00EMXBDMA"}


def test_a_single_file_in_its_own_folder_takes_the_narrator_and_asin_from_the_folder(tmp_path):
    path = tmp_path / "Andy Weir" / "Artemis {Rosario Dawson} [B06XWTH6YT]" / "Artemis.m4b"

    book = parse_names(unit_for(path, root=tmp_path))

    assert book.title == "Artemis"
    assert book.contributors == [Contributor("Andy Weir"), Contributor("Rosario Dawson", "narrator")]
    assert book.identifiers == {"asin": "B06XWTH6YT"}


def test_folders_above_the_dropped_folder_are_not_read(tmp_path):
    path = tmp_path / "Terry Pratchett" / "drop" / "Mort.epub"

    book = parse_names(unit_for(path, root=tmp_path / "drop"))

    assert book.authors == []


@pytest.mark.parametrize(("text", "score"), [("Stephen King", 1), ("J. R. R. Tolkien", 2), ("J.R.R. Tolkien", 2),
                                             ("King, Stephen", 2), ("Gabriel García Márquez", 1),
                                             ("Ursula K. Le Guin", 2), ("Flann O'Brien", 1), ("The Final Empire", 0),
                                             ("Mistborn", 0), ("Apollo 13", 0), ("New Folder", 0), ("Audiobooks", 0),
                                             ("War and Peace", 0), ("A B", 0)])
def test_what_reads_as_a_persons_name(text, score):
    assert person_score(text) == score


def test_a_name_holding_path_like_or_odd_characters_is_only_text(tmp_path):
    parts = parse_name("..\u202eevil\u202c - Title:With|Odd*Chars")

    assert parts.title  # nothing raised; sanitising the name is the planner's job
    assert isinstance(parse_names(unit_for(Path(tmp_path / "x" / "a.epub"), root=tmp_path)).title, str)


def test_a_pathologically_long_name_is_cut_rather_than_parsed_for_ever():
    parts = parse_name("- " * 50_000 + ", Book 1" + "x" * 100_000)

    assert len(parts.title) <= 512
