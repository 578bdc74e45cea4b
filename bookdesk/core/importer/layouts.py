"""Guesses from where a book sits: the folder and file layouts of Audiobookshelf, Readarr, calibre
and LazyLibrarian, and the names people give their files.

- Audiobookshelf: ``Author/Series/Vol 1 - 1994 - Title - Subtitle {Narrator}/...``, the position
  written "Vol 1", "Vol. 1", "Volume 1", "Book 1", "1.", "#1", "01" before or after the year, or
  after the title ("Title - Volume 1"); the year as "1994 - " or "(1994) - "; the narrator in
  braces; an ASIN in square brackets; "Last, First" author folders.
- Readarr: ``Author/Title (Year)/Author - Title (1).ext``; calibre: ``Author/Title (id)/Title -
  Author.ext`` (a colon written "_"); LazyLibrarian: ``Author/Title/Title - Author.ext`` and
  ``Author - Title Part 01 of 12.mp3``.
- Parts with generic names ("Audiobook.m4b", "Audio File.m4a", "part01.mp3", "Chapter 01.mp3")
  and disc folders ("Disc 1", "CD2", or siblings "Dune - CD 1", "Dune - CD 2") are named by the
  book folder above them.
- Under a folder that names the author, "Title - Subtitle" is a title and its subtitle; a name
  repeating the author's or the series' folder ("Neil Gaiman - American Gods") drops the repeat.

These only fill what the file and its sidecars leave empty, and they are conservative: a guess
that could as well be something else stays empty rather than becoming wrong metadata that looks
right. Only the path below what the user dropped (``unit.root``) is read, since "Downloads" or
"Books" above it say nothing about the book. How people, positions and title noise read is the
vocabulary's (``bookdesk.vocabulary``), and what one name says is ``name_parts``'; this module only knows
where in a path they are written.
"""

from __future__ import annotations

import re
from pathlib import Path

from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.name_parts import (
    GENERIC_FOLDERS,
    PIECES,
    NameParts,
    Shelf,
    fold,
    parse_name,
    people_key,
    person_score,
    plain_name,
)
from bookdesk.core.importer.units import BookUnit
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.vocabulary.people import display_name, split_people
from bookdesk.vocabulary.titles import is_part_name

# A folder named like a disc ("CD 2", "Disc 1", "Disk 3", "Part 3") holds part of the book its parent is.
DISC_FOLDER = re.compile(r"^(?:cd|disc|disk|part|teil|side)[\s._-]*\d{1,3}(?:\s*of\s*\d{1,3})?$", re.IGNORECASE)
# "Dune - CD 1", "Dune (Disc 2 of 4)": one disc of a book whose other discs are the folders beside it.
TITLED_DISC_FOLDER = re.compile(r"^(?P<book>.*?[^\W_])[\s,:_-]*[(\[]?\s*\b(?:cd|disc|disk)[\s._-]*(?P<disc>\d{1,3})"
                                r"(?:\s*(?:of|/)\s*\d{1,3})?\s*[)\]]?$", re.IGNORECASE)


def parse_names(unit: BookUnit) -> BookMetadata:
    """What the unit's file and folder names say about the book."""
    name, folders, named_by_folder = _names(unit)
    folders = [f for f in folders if not _organising(f)]
    book: NameParts | None = None
    if not named_by_folder and folders and not _names_a_piece(folders, name):
        above = shelf_of(folders[:-1])
        own, named = parse_name(folders[-1], above), parse_name(name, above)
        if _same_book(own, named):  # "Title/Title.m4b", calibre's "Title (12)/Title - Author.epub"
            folders.pop()
            book = _merged(named, own)
    shelf = shelf_of(folders)
    if book is None:
        book = parse_name(name, shelf)
    folder_series = shelf.series or (shelf.maybe_series if book.position else None)
    series = book.series or folder_series
    if book.series and folder_series and shelf.known(book.series) == "series":
        series = folder_series  # the folder spells it in full: "The Dresden Files" over "Dresden Files 15"
    authors = book.authors or ([shelf.author] if shelf.author else [])
    meta = BookMetadata(title=book.title, subtitle=book.subtitle or None)
    meta.contributors = contributors(authors, "author") + contributors(book.narrators, "narrator")
    if series:
        meta.series = [SeriesRef(name=series, label=book.position or "")]
    meta.identifiers = dict(book.identifiers)
    meta.published = book.year
    return meta


def contributors(names: list[str], role: str) -> list[Contributor]:
    """People from names as written; "Le Guin, Ursula K." is shown "Ursula K. Le Guin"."""
    found: list[Contributor] = []
    for written in split_people(names):
        shown = display_name(written)
        if all(fold(c.name) != fold(shown) for c in found):
            found.append(Contributor(name=shown, role=role, sort_name=written if shown != written else ""))
    return found


def shelf_of(folders: list[str]) -> Shelf:
    """``Author/Series/``, ``Author/``, or a folder that may be a series, from the folders above."""
    if not folders:
        return Shelf()
    nearest, above = folders[-1], (folders[-2] if len(folders) >= 2 else None)
    if above is not None and person_score(above):
        return Shelf(author=above, series=_series_name(nearest))  # Audiobookshelf's Author/Series/Book
    if person_score(nearest):
        return Shelf(author=nearest)
    # Deeper trees ("Author/Cosmere/Mistborn/Book 1 - ..."): the nearest person's folder above.
    author = next((f for f in reversed(folders[:-2]) if person_score(f)), None)
    return Shelf(author=author, maybe_series=_series_name(nearest))


def _organising(folder: str) -> bool:
    return fold(folder) in GENERIC_FOLDERS or bool(DISC_FOLDER.match(folder))


def book_folder(unit: BookUnit) -> Path:
    """The folder that holds the book: for parts in disc folders ("Disc 1/", "CD2/"), their parent."""
    folder = unit.primary.parent
    if DISC_FOLDER.match(folder.name) and folder != unit.root:
        folder = folder.parent
    return folder


def _names(unit: BookUnit) -> tuple[str, list[str], bool]:
    """The book's own name, the folders above it below ``unit.root`` (nearest last), and whether the
    name is a folder's: a book in parts, or a file whose name only numbers a part ("Audiobook.m4b")."""
    if unit.is_multipart or is_part_name(unit.primary.stem):
        folder = book_folder(unit)
        if not _organising(folder.name):  # "Downloads/Audiobook.m4b": the folder names no book either
            return folder.name, _below(folder.parent, unit.root) if unit.root in folder.parents else [], True
    return unit.primary.stem, _below(unit.primary.parent, unit.root), False


def _below(folder: Path, root: Path) -> list[str]:
    try:
        return list(folder.relative_to(root).parts)
    except ValueError:
        return []


def _names_a_piece(folders: list[str], name: str) -> bool:
    """ "Neil Gaiman/American Gods - Neil Gaiman.epub": a person's folder that the name repeats is
    the author's, not the book's own folder, however the name's halves read; unless a folder above
    is the one the name repeats as well ("Robin Hobb/Assassin's Apprentice/Assassin's Apprentice -
    Robin Hobb.mobi")."""
    pieces = PIECES.split(plain_name(name))
    if len(pieces) < 2 or not person_score(folders[-1]):
        return False
    nearest = people_key(folders[-1])
    repeats = [p for p in pieces if people_key(p) == nearest]
    others = {fold(p) for p in pieces if p not in repeats}
    return bool(repeats) and not others & {fold(f) for f in folders[:-1]}


def _merged(file: NameParts, folder: NameParts) -> NameParts:
    """A file's name filled from its book's own folder; where one spelling cuts the other short
    (calibre shortens long names, the file's more than the folder's), the longer one."""
    book = file.filled_from(folder)
    for name in ("title", "subtitle", "series"):
        short, full = getattr(file, name) or "", getattr(folder, name) or ""
        if len(full) > len(short) and fold(full).startswith(fold(short)):
            setattr(book, name, full)
    return book


def _same_book(folder: NameParts, book: NameParts) -> bool:
    a, b = fold(folder.title), fold(book.title)
    return bool(a and b) and (a == b or a in b or b in a)


def _series_name(folder: str) -> str | None:
    """A series folder's name without a year, a position or noise of its own."""
    parts = parse_name(folder)
    return parts.series or parts.title or None
