"""Guessing a book's metadata from where it sits and what it is called."""

from __future__ import annotations

from pathlib import Path

import pytest
from book_files import unit_for

from bookdesk.core.importer.folder_names import parse_name, parse_names, person_score
from bookdesk.data.records import Contributor, SeriesRef

# (path below the dropped folder, title, authors, series, position, year, identifiers, narrators)
CASES = [
    ("Brandon Sanderson/Mistborn/Book 1 - The Final Empire.epub", "The Final Empire", ["Brandon Sanderson"],
     "Mistborn", "1", None, {}, []),
    ("Brandon Sanderson/Mistborn/1.5 - Secret History.epub", "Secret History", ["Brandon Sanderson"], "Mistborn", "1.5",
     None, {}, []),
    ("Ursula K. Le Guin/A Wizard of Earthsea.epub", "A Wizard of Earthsea", ["Ursula K. Le Guin"], None, None, None,
     {}, []),
    ("Le Guin, Ursula K./The Dispossessed.pdf", "The Dispossessed", ["Ursula K. Le Guin"], None, None, None, {}, []),
    ("Terry Pratchett - Mort.epub", "Mort", ["Terry Pratchett"], None, None, None, {}, []),
    ("Mort - Terry Pratchett.epub", "Mort", ["Terry Pratchett"], None, None, None, {}, []),
    ("The Colour of Magic - Terry Pratchett.mobi", "The Colour of Magic", ["Terry Pratchett"], None, None, None, {}, []),
    ("Harry Potter - J. K. Rowling.epub", "Harry Potter", ["J. K. Rowling"], None, None, None, {}, []),
    ("Neil Gaiman/Good Omens - Neil Gaiman.epub", "Good Omens", ["Neil Gaiman"], None, None, None, {}, []),
    ("Stephen King/Stephen King - Carrie.epub", "Carrie", ["Stephen King"], None, None, None, {}, []),
    ("Dune {Scott Brick} [B002V1OF70].m4b", "Dune", [], None, None, None, {"asin": "B002V1OF70"}, ["Scott Brick"]),
    ("2004 - Cloud Atlas (retail).epub", "Cloud Atlas", [], None, None, "2004", {}, []),
    ("Cloud Atlas (2004) [epub].epub", "Cloud Atlas", [], None, None, "2004", {}, []),
    ("The_Final_Empire.epub", "The Final Empire", [], None, None, None, {}, []),
    ("The.Final.Empire.epub", "The Final Empire", [], None, None, None, {}, []),
    ("Saga Vol. 2.cbz", "Saga Vol. 2", [], "Saga", "2", None, {}, []),
    ("The Final Empire (Mistborn #1).epub", "The Final Empire", [], "Mistborn", "1", None, {}, []),
    ("Mistborn 01 - The Final Empire.epub", "The Final Empire", [], "Mistborn", "1", None, {}, []),
    ("Brandon Sanderson - Mistborn 03 - The Hero of Ages.epub", "The Hero of Ages", ["Brandon Sanderson"],
     "Mistborn", "3", None, {}, []),
    ("Earthsea/#4 - Tehanu.epub", "Tehanu", [], "Earthsea", "4", None, {}, []),
    ("Earthsea/Vol. 2 - The Tombs of Atuan.epub", "The Tombs of Atuan", [], "Earthsea", "2", None, {}, []),
    ("Some Title 978-0-306-40615-7.pdf", "Some Title", [], None, None, None, {"isbn": "9780306406157"}, []),
    ("Some Title [ISBN 0306406152].pdf", "Some Title", [], None, None, None, {"isbn": "9780306406157"}, []),
    ("Catch 22 - Joseph Heller.epub", "Catch 22", ["Joseph Heller"], None, None, None, {}, []),
    ("1984.epub", "1984", [], None, None, None, {}, []),
    ("Dune (Deluxe Edition).epub", "Dune (Deluxe Edition)", [], None, None, None, {}, []),
    ("Ebooks/Unsorted/Elantris.epub", "Elantris", [], None, None, None, {}, []),
    ("Frank Herbert/Dune (123)/Dune - Frank Herbert.epub", "Dune", ["Frank Herbert"], None, None, None, {}, []),
    ("Terry Pratchett & Neil Gaiman - Good Omens.epub", "Good Omens", ["Terry Pratchett", "Neil Gaiman"], None, None,
     None, {}, []),
]


@pytest.mark.parametrize(("relative", "title", "authors", "series", "position", "year", "ids", "narrators"), CASES,
                         ids=[c[0] for c in CASES])
def test_names_fill_in_what_people_put_in_them(tmp_path, relative, title, authors, series, position, year, ids,
                                               narrators):
    path = tmp_path / relative

    book = parse_names(unit_for(path, root=tmp_path))

    assert book.title == title
    assert [c.name for c in book.authors] == authors
    assert [c.name for c in book.narrators] == narrators
    assert book.series == ([SeriesRef(series, position or "")] if series else [])
    assert book.published == year
    assert book.identifiers == ids


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
