"""What one file or folder name says about a book: title, subtitle, authors, narrators, series and its
position, year and identifiers, e.g. "Vol 1 - 1994 - Title - Subtitle {Narrator} [B012345678]".

What the folders above the name already say (a ``Shelf``: its author, its series) helps read it;
where the name and its folders sit in a library's layout is ``layouts``'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.vocabulary.folding import fold as _fold_text
from bookdesk.vocabulary.people import name_likeness, person_key, split_people
from bookdesk.vocabulary.positions import LEAD_WORDS, read_position
from bookdesk.vocabulary.titles import (
    is_noise,
    series_in_subtitle,
    series_in_title,
    split_subtitle,
    title_and_author,
    title_sort,
)

# Folders that organise a collection rather than name a book's author or series.
GENERIC_FOLDERS = {"books", "ebooks", "e-books", "audiobooks", "audio books", "audiobook", "downloads", "download",
                   "library", "calibre library", "incoming", "inbox", "new folder", "unsorted", "misc", "various",
                   "unknown", "unknown author", "complete", "completed", "torrents", "media", "audible", "epub",
                   "mobi", "pdf", "mp3", "m4b", "comics", "novels", "fiction", "non-fiction", "nonfiction", "to read"}
# What calibre and taggers write where the author is not known.
_NOBODY = {"unknown", "unknown author", "various", "various authors", "va"}
# A batch reads the same author and series folders for every book in them.
fold = lru_cache(maxsize=8192)(_fold_text)

_MAX_NAME_CHARS = 512
_ASIN = re.compile(r"[\[(]\s*(B0[0-9A-Z]{8})\s*[\])]|\b(B0(?=[A-Z]*\d)[0-9A-Z]{8})\b")
_ISBN = re.compile(r"[\[(]?\s*(?:ISBN[-:\s]*)?(?<![\dX])(97[89](?:[-\s]?\d){10}|\d(?:[-\s]?\d){8}[-\s]?[\dXx])"
                   r"(?![\dX])\s*[\])]?", re.IGNORECASE)
_NARRATOR = re.compile(r"\s*\{([^{}]{1,200})\}")
_GROUP_AT_END = re.compile(r"\s*[\[(]([^\[\]()]{0,200})[\])]\s*$")
_YEAR = re.compile(r"^(1[4-9]\d\d|20\d\d)$")
# Audiobookshelf's year before the title: "1994 - Title", "(1994) - Title".
_LEADING_YEAR = re.compile(r"^[(\[]?(1[4-9]\d\d|20\d\d)[)\]]?\s*[-–—]\s*(?P<rest>\S.*)$")
# A recording's part written after the title: LazyLibrarian's "Title Part 01 of 12", "Title - Disc 2".
_PART_OF = re.compile(r"[\s,-]*\b(?:part|pt|disc|disk|cd|track)\.?\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.IGNORECASE)
# A name's pieces are written between spaced dashes: "Author - Series 3 - Title".
PIECES = re.compile(r"\s+[-–—]\s+")
_BRACKETED = re.compile(r"^[\[(]([^\[\]()]+)[\])]$")
# "01 Harry Potter and the Sorcerer's Stone" under a series folder: a zero-padded number before the title.
_PADDED_THEN_TITLE = re.compile(r"^(?P<pos>0\d{1,2})\s+(?P<rest>[^\W\d_].*)$")
# Where a position is written in one piece of a name; reading it is ``read_position``'s.
_NUM = r"\d{1,3}(?:[.,]\d{1,2})?"
_LEAD = rf"(?:(?:{LEAD_WORDS})\b\.?\s*#?\s*|#\s*)"
_POSITION_PIECE = re.compile(rf"^(?:{_LEAD}{_NUM}|{_NUM})\.?$", re.IGNORECASE)
# Audiobookshelf: "Vol. 3 Title", "Volume 12. Title", "Book 2 Title", "6. Title" (not "101 Dalmatians").
_POSITION_THEN_TITLE = re.compile(rf"^(?P<pos>(?:(?:vol|volume|book)\.?\s*#?\s*|#\s*){_NUM}\.?|{_NUM}\.)\s+(?P<rest>\S.*)$",
                                  re.IGNORECASE)
# "Mistborn 01", "Mistborn #1", "Mistborn Book 1": "Apollo 13" or "Catch 22" is a title unless the
# series is named by a folder as well.
_NUMBERED_SERIES = re.compile(rf"^(?P<name>\S.*?)[\s,]+(?P<pos>{_LEAD}{_NUM}|0\d{{1,2}}(?:\.\d{{1,2}})?|\d{{1,3}})$",
                              re.IGNORECASE)
# "Title, Book 3", "Title #4", "Saga Vol. 2": a position at the end of the title.
_TRAILING_BOOK = re.compile(rf"^(?P<rest>.+?)[\s,:-]*(?:\b(?:book|no\.?)\s*|#)(?P<pos>{_NUM})$", re.IGNORECASE)
_TRAILING_VOLUME = re.compile(rf"^(?P<rest>.+?)[\s,:-]*\bvol(?:ume)?\.?\s*(?P<pos>{_NUM})$", re.IGNORECASE)


@dataclass(slots=True)
class NameParts:
    """What one file or folder name says."""

    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    narrators: list[str] = field(default_factory=list)
    series: str | None = None
    position: str | None = None
    year: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)

    def filled_from(self, other: NameParts) -> NameParts:
        return NameParts(self.title or other.title, self.subtitle or other.subtitle, self.authors or other.authors,
                         self.narrators or other.narrators, self.series or other.series,
                         self.position or other.position, self.year or other.year,
                         {**other.identifiers, **self.identifiers})


@dataclass(frozen=True, slots=True)
class Shelf:
    """What the folders above a book's name say: its author, and its series.

    ``series`` is sure (Audiobookshelf's ``Author/Series/Book``); ``maybe_series`` is a folder
    that is the series only if the book's name gives a position (``Series/Book 1 - Title``)."""

    author: str | None = None
    series: str | None = None
    maybe_series: str | None = None

    def known(self, text: str) -> str | None:
        """Which folder ``text`` repeats: "author", "series" or None ("Dresden Files" is the folder
        "The Dresden Files")."""
        if self.author and (people := people_key(text)) and people == people_key(self.author):
            return "author"  # "Stephen King" repeats the folder "King, Stephen"
        key = _series_key(text)
        if key and key in {_series_key(s) for s in (self.series, self.maybe_series) if s}:
            return "series"
        return None


@lru_cache(maxsize=4096)
def people_key(text: str) -> frozenset[str]:
    return frozenset(person_key(name) for name in split_people(text))


@lru_cache(maxsize=4096)
def _series_key(name: str) -> str:
    return fold(title_sort(name))


def parse_name(name: str, shelf: Shelf | None = None) -> NameParts:
    """The parts of one name, e.g. "Vol 1 - 1994 - Title - Subtitle {Narrator} [B012345678]".

    ``shelf`` is what the folders above already say: under an author's folder, "Title - Subtitle"
    is a title and its subtitle, and a piece repeating the author or series folder is dropped."""
    shelf = shelf or Shelf()
    parts = NameParts()
    text = plain_name(name)
    text = _take_identifiers(parts, text)
    if narrated := _NARRATOR.search(text):
        parts.narrators = split_people(narrated[1])
        text = text[:narrated.start()] + " " + text[narrated.end():]
    text = " ".join(text.split())
    text = _PART_OF.sub("", text).strip() or text  # "Mort Part 01 of 12" is "Mort"; "Part 1" alone stays
    text = _take_trailing_groups(parts, text)
    if (match := _LEADING_YEAR.match(text)) and not _YEAR.match(match["rest"]):
        parts.year, text = match[1], match["rest"]
    # A piece wholly in brackets is read as if it were bare: "Author - [Discworld 01] - Title".
    pieces = [_BRACKETED.sub(r"\1", p) for p in PIECES.split(text) if p.strip(" -")]
    # "Title - Unabridged"; "1.5" would read as a version number, but here it is a position.
    pieces = [p for p in pieces if _POSITION_PIECE.match(p) or not is_noise(p)] or pieces
    pieces, nobody = _take_known(parts, pieces, shelf)
    author_known = bool(parts.authors or shelf.author or nobody)
    if len(pieces) >= 3 and not author_known and person_score(pieces[0]):
        parts.authors, pieces = split_people(pieces[0]), pieces[1:]  # "Author - Series 3 - Title"
    pieces = _take_position(parts, pieces, shelf)
    if len(pieces) >= 2 and not parts.year and _YEAR.match(pieces[0]):
        parts.year, pieces = pieces[0], pieces[1:]  # "Vol 1 - 1994 - Title": the year after the position
    _title_and_rest(parts, pieces, author_known=author_known or bool(parts.authors))
    return parts


def plain_name(name: str) -> str:
    # File systems cap a name at 255 bytes; the cap keeps the patterns below cheap on anything longer.
    text = name[:_MAX_NAME_CHARS]
    text = re.sub(r"(?<=[^\W_])_ ", ": ", text)  # calibre writes "Title: Subtitle" as "Title_ Subtitle"
    text = text.replace("_", " ")
    if " " not in text and text.count(".") >= 2:
        text = text.replace(".", " ")  # "The.Final.Empire"
    return text


def _take_known(parts: NameParts, pieces: list[str], shelf: Shelf) -> tuple[list[str], bool]:
    """Drop pieces that repeat the author or series folder ("Neil Gaiman/Neil Gaiman - American
    Gods"), and calibre's "Unknown" author; the flag says such a placeholder took the author's place."""
    if len(pieces) < 2:
        return pieces, False
    kept: list[str] = []
    nobody = False
    for i, piece in enumerate(pieces):
        known = shelf.known(piece)
        if fold(piece) in _NOBODY:
            nobody = True
        elif known == "author" and not parts.authors:
            parts.authors = split_people(piece)
        elif known == "series" and not parts.series and i < len(pieces) - 1:
            parts.series = piece  # the last piece is the title, which may be the series' name ("Dune")
        else:
            kept.append(piece)
    return (kept, nobody) if kept else (pieces, False)


def _take_position(parts: NameParts, pieces: list[str], shelf: Shelf) -> list[str]:
    """The first piece that is a position ("Vol 1", "Book 2", "#3", "01", "1.", "0.5"), one that starts
    with one ("Vol. 3 Title", "6. Title"), or a numbered series ("Mistborn 01"). A piece just before a
    lone position is the series when no folder names one ("Mistborn - 03 - The Hero of Ages")."""
    if len(pieces) < 2:
        if pieces and (match := _position_then_title(pieces[0], shelf)):
            parts.position = _label(match["pos"])
            return [match["rest"]]
        return pieces
    for i, piece in enumerate(pieces):
        if _POSITION_PIECE.match(piece) and _usable(piece):
            parts.position = _label(piece)
            rest = pieces[:i] + pieces[i + 1:]
            if i >= 1 and len(rest) >= 2 and not (shelf.series or shelf.maybe_series or parts.series) \
                    and not person_score(rest[i - 1]):
                parts.series = rest.pop(i - 1)
            return rest
        if match := _position_then_title(piece, shelf):
            parts.position = _label(match["pos"])
            return pieces[:i] + [match["rest"]] + pieces[i + 1:]
    first = pieces[0]
    if (found := _numbered_series(first, shelf, pieces[1])) is not None:
        (series, parts.position) = found
        parts.series = parts.series or series
        return pieces[1:]
    return pieces


def _position_then_title(piece: str, shelf: Shelf) -> re.Match[str] | None:
    match = _POSITION_THEN_TITLE.match(piece)
    if match is None and (shelf.series or shelf.maybe_series):
        match = _PADDED_THEN_TITLE.match(piece)
    return match if match and _usable(match["pos"]) else None


def _usable(position: str) -> bool:
    return read_position(position).start is not None and not _YEAR.match(position.strip(". "))


def _label(position: str) -> str:
    return read_position(position.strip().rstrip(".")).label


def _numbered_series(text: str, shelf: Shelf, following: str) -> tuple[str, str] | None:
    """ "Mistborn 01", "Mistborn #1", "Mistborn Book 1"; "Mistborn 1" only under a "Mistborn" folder
    or before a title that repeats the series ("Harry Potter 1 - Harry Potter and the ...")."""
    match = _NUMBERED_SERIES.match(text)
    if not match or not _usable(match["pos"]):
        return None
    name = match["name"].strip(" ,")
    bare = match["pos"].isdigit() and not match["pos"].startswith("0")
    if bare and shelf.known(name) != "series" and not fold(following).startswith(fold(name) + " "):
        return None
    return name, _label(match["pos"])


def _title_and_rest(parts: NameParts, pieces: list[str], *, author_known: bool) -> None:
    """Title, subtitle and perhaps author from what is left: "Title", "Title - Subtitle",
    "Author - Title", "Title - Author"."""
    if not pieces:
        return
    if not author_known and len(pieces) >= 2:
        first, last = person_score(pieces[0]), person_score(pieces[-1])
        if first and first >= last:
            parts.authors, pieces = split_people(pieces[0]), pieces[1:]
        elif last:
            parts.authors, pieces = split_people(pieces[-1]), pieces[:-1]
    title, subtitle = pieces[0], " - ".join(pieces[1:])
    if not author_known and not parts.authors and not subtitle:
        title, by = title_and_author(title)  # "The Way of Kings by Brandon Sanderson"
        parts.authors = split_people(by) if by else []
    if not subtitle:
        title, found = split_subtitle(title) if ": " in title else (title, None)
        subtitle = found or ""
    if not parts.series:
        named = series_in_title(title)
        if named.series:
            title, (parts.series, parts.position) = named.title, named.series[0]
    if not parts.series and (in_subtitle := series_in_subtitle(subtitle)):
        (parts.series, parts.position), subtitle = in_subtitle, ""  # "Title - Book One of The Series"
    if parts.position is None:
        title = _trailing_position(parts, title)
    parts.title, parts.subtitle = title.strip(" -_.,"), subtitle.strip(" -_.,")


def _trailing_position(parts: NameParts, title: str) -> str:
    """ "Title, Book 3", "Title #4"; "Saga Vol. 2" keeps its volume, which comics print as the title."""
    if match := _TRAILING_VOLUME.match(title):
        parts.position = _label(match["pos"])
        parts.series = parts.series or match["rest"].strip(" ,-")
        return title
    if match := _TRAILING_BOOK.match(title):
        parts.position = _label(match["pos"])
        return match["rest"].strip(" ,-")
    return title


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
    """Strip "(retail)", "[epub]", "(2004)", calibre's "(123)", Readarr's "(1)"; read "(Series #3)"."""
    while True:
        match = _GROUP_AT_END.search(text)
        if match is None:
            return text
        inner = match[1].strip()
        if _YEAR.match(inner):
            parts.year = parts.year or inner
        elif not (inner.isdigit() or not inner or is_noise(inner)):
            named = series_in_title(text)
            if not named.series or parts.series:
                return text  # a real part of the title, e.g. "Dune (Deluxe Edition)" stays
            (parts.series, parts.position) = named.series[0]
            text = named.title
            continue
        text = text[:match.start()].rstrip()


@lru_cache(maxsize=8192)
def person_score(text: str) -> int:
    """How surely a folder or name piece names people (the vocabulary's ``name_likeness``); a folder that
    organises a collection ("Audiobooks", "Unknown") names nobody."""
    if any(fold(name) in GENERIC_FOLDERS for name in split_people(text)):
        return 0
    return name_likeness(text)
