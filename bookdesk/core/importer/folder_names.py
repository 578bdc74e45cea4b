"""Guesses from where a book sits: ``Author/Series/Book 1 - Title/``, ``Author - Title.epub``,
``[B0XXXXXXXX]``, ``{Narrator}``, ``2004 - Title``, ``Title (retail)``.

These only fill what the file and its sidecars leave empty, and they are conservative: a
guess that could as well be something else stays empty rather than becoming wrong
metadata that looks right. Only the path below what the user dropped (``unit.root``) is
read, since "Downloads" or "Books" above it say nothing about the book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.readers.text import people, series_label, split_people
from bookdesk.core.importer.units import BookUnit
from bookdesk.data.records import SeriesRef
from bookdesk.data.sort_keys import fold

# Folders that organise a collection rather than name a book's author or series.
GENERIC_FOLDERS = {"books", "ebooks", "e-books", "audiobooks", "audio books", "audiobook", "downloads", "download",
                   "library", "calibre library", "incoming", "inbox", "new folder", "unsorted", "misc", "various",
                   "unknown", "unknown author", "complete", "completed", "torrents", "media", "audible", "epub",
                   "mobi", "pdf", "mp3", "m4b", "comics", "novels", "fiction", "non-fiction", "nonfiction", "to read"}
# A folder named like a disc ("CD 2", "Disc 1", "Part 3") holds part of the book its parent is.
DISC_FOLDER = re.compile(r"^(?:cd|disc|disk|part|teil|volume|vol)[\s._-]*\d+$", re.IGNORECASE)

_MAX_NAME_CHARS = 512
_ASIN = re.compile(r"[\[(]\s*(B0[0-9A-Z]{8})\s*[\])]|\b(B0(?=[A-Z]*\d)[0-9A-Z]{8})\b")
_ISBN = re.compile(r"[\[(]?\s*(?:ISBN[-:\s]*)?(?<![\dX])(97[89](?:[-\s]?\d){10}|\d(?:[-\s]?\d){8}[-\s]?[\dXx])"
                   r"(?![\dX])\s*[\])]?", re.IGNORECASE)
_NARRATOR = re.compile(r"\{([^{}]{1,200})\}")
_GROUP_AT_END = re.compile(r"\s*[\[(]([^\[\]()]{0,200})[\])]\s*$")
_YEAR = re.compile(r"^(1[4-9]\d\d|20\d\d)$")
_LEADING_YEAR = re.compile(r"^(1[4-9]\d\d|20\d\d)\s*(?:[-–—:_]|\.(?=\s))\s*(?P<rest>\S.*)$")
_LEADING_POSITION = re.compile(
    r"^(?:(?:book|vol(?:ume)?\.?|part|no\.?)\s*)?#?(?P<pos>\d{1,3}(?:\.\d{1,2})?)\s*(?:[-–—:_)]|\.(?=\s))\s*(?P<rest>\S.*)$",
    re.IGNORECASE)
_KEYWORD_POSITION = re.compile(r"^(?:book|vol(?:ume)?\.?|#)\s*(?P<pos>\d{1,3}(?:\.\d{1,2})?)\s+(?P<rest>\S.*)$",
                               re.IGNORECASE)
_TRAILING_BOOK = re.compile(r"^(?P<rest>.+?)[\s,:-]*(?:\b(?:book|no\.?)\s*|#)(?P<pos>\d{1,3}(?:\.\d{1,2})?)$",
                            re.IGNORECASE)
_TRAILING_VOLUME = re.compile(r"^(?P<rest>.+?)[\s,:-]*\bvol(?:ume)?\.?\s*(?P<pos>\d{1,3}(?:\.\d{1,2})?)$",
                              re.IGNORECASE)
_SERIES_IN_GROUP = re.compile(
    r"^(?P<name>[^#]+?)(?:,?\s*#\s*|,\s*book\s+|\s+book\s+|,?\s*vol(?:ume)?\.?\s*)(?P<pos>\d{1,3}(?:\.\d{1,2})?)$",
    re.IGNORECASE)
_NUMBERED_SERIES = re.compile(r"^(?P<name>\S.*?)[\s,]+(?P<pos>(?:#|book\s*|vol(?:ume)?\.?\s*)\d{1,3}(?:\.\d{1,2})?|0\d{1,2})$",
                              re.IGNORECASE)
_JUNK = re.compile(
    r"^(retail|epub|mobi|azw3?|pdf|cbz|kf8|ebook|e-book|unabridged|abridged|mp3|m4b|aac|audiobook|audio ?book"
    r"|v?\d+(\.\d+)+|z-?lib(\.org)?|z-library|1lib|libgen|calibre|converted|scan(ned)?|ocr|digital|webrip"
    r"|\d+\s*k(bps)?|\d+\s*kbps|a novel|novel|illustrated|english|eng|en|true pdf|repack|proper|official)$",
    re.IGNORECASE)
_SPLIT = re.compile(r"\s+[-–—]\s+")
_PARTICLES = {"de", "van", "von", "le", "la", "du", "da", "di", "del", "della", "der", "den", "ten", "ter", "bin",
              "al", "el", "st.", "y", "dos", "das"}
# Words that make a phrase a title rather than a name. Only function words and the vocabulary
# of books: "King", "White" or "Love" are surnames too.
_NOT_IN_NAMES = {"the", "a", "an", "of", "and", "in", "on", "to", "for", "with", "at", "from", "by", "my", "your",
                 "our", "his", "her", "its", "is", "are", "be", "how", "what", "why", "who", "when", "where",
                 "book", "books", "volume", "vol", "part", "chapter", "edition", "series", "collection", "novel",
                 "stories", "story", "tales", "guide", "complete", "unabridged", "audiobook", "saga", "trilogy",
                 "chronicles", "omnibus", "anthology", "box", "set"}
_INITIAL = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]$")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’-][^\W\d_]+)*\.?$")


@dataclass(slots=True)
class NameParts:
    """What one file or folder name says."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    narrators: list[str] = field(default_factory=list)
    series: str | None = None
    position: str | None = None
    year: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)
    ambiguous_people: tuple[str, str] | None = None  # "X - Y" where either could be the author

    def filled_from(self, other: NameParts) -> NameParts:
        return NameParts(self.title or other.title, self.authors or other.authors,
                         self.narrators or other.narrators, self.series or other.series,
                         self.position or other.position, self.year or other.year,
                         {**other.identifiers, **self.identifiers}, self.ambiguous_people or other.ambiguous_people)


def parse_names(unit: BookUnit) -> BookMetadata:
    """What the unit's file and folder names say about the book."""
    book_name, folders = _names(unit)
    book = parse_name(book_name)
    if book.ambiguous_people:
        _settle_with_folders(book, folders)
    if folders and _same_book(parse_name(folders[-1]), book):
        book = book.filled_from(parse_name(folders.pop()))  # "Title/Title.m4b": the book's own folder
    folders = [f for f in folders if fold(f) not in GENERIC_FOLDERS and not DISC_FOLDER.match(f)]
    authors, series = _from_folders(book, folders)
    meta = BookMetadata(title=book.title)
    meta.contributors = people(book.authors or authors, "author") + people(book.narrators, "narrator")
    if book.series or series:
        meta.series = [SeriesRef(name=book.series or series or "", label=book.position or "")]
    meta.identifiers = dict(book.identifiers)
    meta.published = book.year
    return meta


def parse_name(name: str) -> NameParts:
    """The parts of one name, e.g. "Le Guin - 1.5 - Title {Narrator} [B012345678] (retail)"."""
    parts = NameParts()
    # File systems cap a name at 255 bytes; the cap keeps the patterns below cheap on anything longer.
    text = name[:_MAX_NAME_CHARS].replace("_", " ")
    if " " not in text and text.count(".") >= 2:
        text = text.replace(".", " ")  # "The.Final.Empire"
    text = _take_identifiers(parts, text)
    if match := _NARRATOR.search(text):
        parts.narrators = split_people(match[1])
        text = _NARRATOR.sub(" ", text)
    text = _take_trailing_groups(parts, " ".join(text.split()))
    if (match := _LEADING_YEAR.match(text)) and not _YEAR.match(match["rest"]):
        parts.year, text = match[1], match["rest"]
    pieces = [p for p in _SPLIT.split(text) if p]
    if len(pieces) >= 3 and person_score(pieces[0]):  # "Author - Series 3 - Title", "Author - 03 - Title"
        parts.authors, pieces = split_people(pieces[0]), pieces[1:]
    if len(pieces) == 3 and _position_only(pieces[1]):  # "Series - 03 - Title"
        parts.series, parts.position, pieces = pieces[0], _label(pieces[1]), pieces[2:]
    elif len(pieces) == 2 and _position_only(pieces[0]):  # "03 - Title", "Book 3 - Title"
        parts.position, pieces = _label(pieces[0]), pieces[1:]
    elif len(pieces) == 2 and parts.authors and (found := _numbered_series(pieces[0])):
        (parts.series, parts.position), pieces = found, pieces[1:]
    if len(pieces) == 2:
        _two_pieces(parts, pieces[0], pieces[1])
    else:
        title = " - ".join(pieces)
        parts.title = (_take_position(parts, title) if parts.position is None else None) or title
    parts.title = parts.title.strip(" -_.,")
    return parts


def _two_pieces(parts: NameParts, first: str, second: str) -> None:
    """ "Author - Title" or "Title - Author": the side that reads as a person is the author; when
    both do, "Author - Title" (the common form) unless the folders say otherwise. With no
    person, "Series 01 - Title"; else the whole is the title."""
    a, b = person_score(first), person_score(second)
    if a and a >= b:
        parts.authors, parts.title = split_people(first), second
        parts.ambiguous_people = (first, second) if b else None
    elif b:
        parts.authors, parts.title = split_people(second), first
    elif (found := _numbered_series(first)) and parts.position is None:
        (parts.series, parts.position), parts.title = found, second
        return
    else:
        parts.title = f"{first} - {second}"
        return
    if parts.position is None and (rest := _take_position(parts, parts.title)):
        parts.title = rest


def _numbered_series(text: str) -> tuple[str, str] | None:
    """ "Mistborn 01", "Mistborn #1", "Mistborn Book 1": a bare "Apollo 13" or "Catch 22" is a title."""
    match = _NUMBERED_SERIES.match(text)
    return (match["name"].strip(" ,"), _label(match["pos"])) if match else None


def _label(position: str) -> str:
    return series_label(re.sub(r"^(?:book|vol(?:ume)?\.?|#)\s*", "", position.strip(), flags=re.IGNORECASE))


def _take_identifiers(parts: NameParts, text: str) -> str:
    for match in _ASIN.finditer(text):
        if asin := normalise_asin(match[1] or match[2]):
            parts.identifiers.setdefault("asin", asin)
            text = text.replace(match[0], " ")
    for match in _ISBN.finditer(text):
        if isbn := normalise_isbn(match[1]):
            parts.identifiers.setdefault("isbn", isbn)
            text = text.replace(match[0], " ")
    return text


def _take_trailing_groups(parts: NameParts, text: str) -> str:
    """Strip "(retail)", "[epub]", "(2004)", calibre's "(123)" and read "(Series #3)"."""
    while match := _GROUP_AT_END.search(text):
        inner = match[1].strip()
        if _YEAR.match(inner):
            parts.year = parts.year or inner
        elif (series := _SERIES_IN_GROUP.match(inner)) and not parts.series:
            parts.series, parts.position = series["name"].strip(" ,"), series_label(series["pos"])
        elif not (_JUNK.match(inner) or inner.isdigit() or not inner):
            break  # a real part of the title, e.g. "Dune (Deluxe Edition)" stays
        text = text[:match.start()].rstrip()
    return text


def _take_position(parts: NameParts, text: str) -> str | None:
    """A position at the start ("1.5 - Title", "Book 3 Title") or end ("Title, Book 3", "Title #4",
    "Saga Vol. 2"); returns the title without it, or None when there is none."""
    for pattern in (_LEADING_POSITION, _KEYWORD_POSITION):
        if (match := pattern.match(text)) and not _YEAR.match(match["pos"]):
            parts.position = series_label(match["pos"])
            return match["rest"]
    if match := _TRAILING_VOLUME.match(text):
        parts.position, parts.series = series_label(match["pos"]), parts.series or match["rest"].strip(" ,-")
        return text  # a volume belongs to the title of comics and manga: "Saga Vol. 2"
    if match := _TRAILING_BOOK.match(text):
        parts.position = series_label(match["pos"])
        return match["rest"].strip(" ,-")
    return None


def _position_only(text: str) -> bool:
    return bool(re.fullmatch(r"(?:book\s*|vol\.?\s*|#)?\d{1,3}(?:\.\d{1,2})?", text.strip(), re.IGNORECASE))


def person_score(text: str) -> int:
    """0: not a person's name; 1: could be ("Stephen King"); 2: surely ("J. R. R. Tolkien",
    "King, Stephen"). Two to four capitalised words, initials and particles allowed."""
    names = split_people(text)
    if not names or len(names) > 4:
        return 0
    return min(_one_person(n) for n in names)


def _one_person(name: str) -> int:
    if fold(name) in GENERIC_FOLDERS:
        return 0
    head, comma, tail = name.partition(",")
    if comma:
        return 2 if _one_person(f"{tail.strip()} {head.strip()}") and "," not in tail else 0
    words = re.sub(r"\.(?=[A-Z])", ". ", name).split()
    core = [w for w in words if w.lower() not in _PARTICLES]
    if not 2 <= len(core) <= 4 or words[0].lower() in _PARTICLES:
        return 0
    initials = 0
    for word in core:
        if _INITIAL.match(word):
            initials += 1
        elif not (_NAME_WORD.match(word) and word[0].isupper() and word.rstrip(".").lower() not in _NOT_IN_NAMES):
            return 0
    if initials == len(core):
        return 0
    return 2 if initials else 1


def _names(unit: BookUnit) -> tuple[str, list[str]]:
    """The book's own name (file stem, or the folder of a book in parts) and the folders above it,
    nearest last, below ``unit.root``."""
    if unit.is_multipart:
        folder = unit.primary.parent
        if DISC_FOLDER.match(folder.name) and folder != unit.root:
            folder = folder.parent
        if folder == unit.root:
            return unit.root.name, []
        return folder.name, _below(folder.parent, unit.root)
    return unit.primary.stem, _below(unit.primary.parent, unit.root)


def _below(folder: Path, root: Path) -> list[str]:
    try:
        return list(folder.relative_to(root).parts)
    except ValueError:
        return []


def _same_book(folder: NameParts, book: NameParts) -> bool:
    a, b = fold(folder.title), fold(book.title)
    return bool(a and b) and (a == b or a in b or b in a)


def _from_folders(book: NameParts, folders: list[str]) -> tuple[list[str], str | None]:
    """(authors, series) from ``Author/Series/Book 1 - Title``, ``Author/Book 1 - Title``,
    ``Series/Book 1 - Title`` or ``Author/Title``: the nearest folder is the series only when
    the book's name gives a position, and a folder is the author only when it reads as a name."""
    if not folders:
        return [], None
    nearest, above = folders[-1], (folders[-2] if len(folders) >= 2 else None)
    authors: list[str] = []
    series: str | None = None
    if book.position:
        if above is not None:
            series = _series_name(nearest)
            authors = [above] if person_score(above) else []
        elif person_score(nearest):
            authors = [nearest]
        else:
            series = _series_name(nearest)
    elif person_score(nearest):
        authors = [nearest]
    elif above is not None and person_score(above):
        authors = [above]  # Author/Series/Title: a series without a position is left out
    return split_people(" ; ".join(authors)) if authors else [], series


def _settle_with_folders(book: NameParts, folders: list[str]) -> None:
    """ "Carrie - Stephen King.epub" where both sides could be names: a folder named after one
    side says that side is the author."""
    if book.ambiguous_people is None:
        return
    first, second = book.ambiguous_people
    named = {fold(f) for f in folders}
    if fold(second) in named and fold(first) not in named:
        book.title, book.authors = first, split_people(second)
    book.ambiguous_people = None


def _series_name(folder: str) -> str | None:
    """A series folder without a leading year or number and without a position of its own."""
    parts = parse_name(folder)
    return parts.series or parts.title or None
