"""From what the user dropped to books: files and folders become ``BookUnit``s and ``Problem``s.

Folders are walked without following links to folders, and every folder and file is
remembered by device and inode, so a link loop, a link to a parent or the same folder
dropped twice can neither hang the walk nor find a book twice. Each file's first bytes are
checked against its extension (see sniff). Audio files are grouped: the numbered parts of
one audiobook become one unit, while several whole books in one folder stay apart.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bookdesk.core.importer.formats import FORMATS, BookFormat
from bookdesk.core.importer.layouts import DISC_FOLDER, TITLED_DISC_FOLDER
from bookdesk.core.importer.readers.audio_tags import grouping_tags
from bookdesk.core.importer.sniff import LABELS, inspect, same_family
from bookdesk.core.importer.units import BookUnit, Problem

log = logging.getLogger(__name__)

# Folders that hold no books of the user's: ours, NAS thumbnails, macOS and Windows bookkeeping.
_SKIPPED_FOLDERS = {".staging", "@eadir", "__macosx", "$recycle.bin", "system volume information", "#recycle"}
# Files still being written by a browser or a download client.
_TEMPORARY = (".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".!qb", ".!ut", ".aria2",
              ".bc!", ".opdownload", ".filepart", "~")
# Book formats people have that BookDesk does not read; said plainly rather than ignored.
_UNSUPPORTED = {
    ".cbr": "a CBR comic (a RAR archive), which BookDesk cannot read yet",
    ".cb7": "a CB7 comic (a 7-Zip archive), which BookDesk cannot read yet",
    ".djvu": "a DjVu document, which BookDesk cannot read yet",
    ".fb2": "a FictionBook file, which BookDesk cannot read yet",
    ".lit": "a Microsoft Reader book, which BookDesk cannot read",
    ".lrf": "a Sony reader book, which BookDesk cannot read",
    ".kfx": "a KFX Kindle book, which BookDesk cannot read",
    ".aax": "an Audible AAX file, which is DRM-protected and cannot be read",
    ".aa": "an Audible AA file, which is DRM-protected and cannot be read",
    ".wma": "a Windows Media audio file, which BookDesk cannot read",
}


@dataclass(slots=True)
class _Found:
    """A usable book file, before audio files are grouped into books."""

    path: Path
    format: BookFormat
    root: Path


@dataclass(slots=True)
class _Walk:
    units: list[BookUnit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seen_files: set[tuple[int, int]] = field(default_factory=set)
    seen_folders: set[tuple[int, int]] = field(default_factory=set)
    audio: list[_Found] = field(default_factory=list)

    def problem(self, path: Path, reason: str) -> None:
        log.info("import skips %s: %s", path, reason)
        self.problems.append(Problem(path=path, reason=reason))


def discover(paths: Iterable[Path]) -> tuple[list[BookUnit], list[Problem]]:
    """The books under ``paths`` (files or folders), and the problems found on the way."""
    walk = _Walk()
    for raw in paths:
        path = Path(raw)
        try:
            info = path.stat()
        except FileNotFoundError:
            reason = "is a link to something that no longer exists" if path.is_symlink() else "does not exist"
            walk.problem(path, f"{path} {reason}.")
            continue
        except OSError as exc:
            walk.problem(path, f"{path} cannot be read ({exc.strerror or exc}).")
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk_folder(walk, path)
        elif stat.S_ISREG(info.st_mode):
            _consider(walk, path, info, root=path.parent, chosen=True)
        else:
            walk.problem(path, f"{path.name} is not a regular file or folder.")
    walk.units.extend(_group_audio(walk.audio))
    walk.units.sort(key=lambda u: (str(u.root), str(u.primary)))
    return walk.units, walk.problems


def _walk_folder(walk: _Walk, root: Path) -> None:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in walk.seen_folders:
                continue  # dropped twice, or reached again through a mount: walked already
            walk.seen_folders.add(key)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            walk.problem(folder, f"The folder {folder} cannot be read ({exc.strerror or exc}).")
            continue
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith(".") or entry.name.lower() in _SKIPPED_FOLDERS:
                continue  # hidden files, our own .staging, system folders
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    if _is_dir(path):
                        log.debug("import does not follow the folder link %s", path)
                        continue
                    if not path.exists():
                        if path.suffix.lower() in FORMATS:
                            walk.problem(path, f"{path.name} is a link to a file that no longer exists.")
                        continue
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(path)
                elif entry.is_file():
                    _consider(walk, path, entry.stat(), root=root, chosen=False)
            except OSError as exc:
                walk.problem(path, f"{path.name} cannot be read ({exc.strerror or exc}).")
        stack.extend(reversed(subfolders))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _consider(walk: _Walk, path: Path, info: os.stat_result, *, root: Path, chosen: bool) -> None:
    """Add one file, or say why it cannot be a book. ``chosen``: the user dropped this very file,
    so a file that is no book at all is worth a word; inside folders, covers and notes are not."""
    name, suffix = path.name, path.suffix.lower()
    if name.lower().endswith(_TEMPORARY) or name.startswith("~$"):
        if chosen:
            walk.problem(path, f"{name} is a temporary file, probably still being downloaded.")
        return
    book_format = FORMATS.get(suffix)
    if book_format is None:
        if suffix in _UNSUPPORTED:
            walk.problem(path, f"{name} is {_UNSUPPORTED[suffix]}.")
        elif chosen:
            walk.problem(path, f"{name} is not a book format BookDesk imports.")
        return
    key = (info.st_dev, info.st_ino)
    if key in walk.seen_files:
        return  # the same file reached twice (dropped twice, or through a link)
    walk.seen_files.add(key)
    if info.st_size == 0:
        walk.problem(path, f"{name} is empty.")
        return
    book_format = _checked_format(walk, path, book_format)
    if book_format is None:
        return
    if book_format.media_kind == "audiobook":
        walk.audio.append(_Found(path, book_format, root))
    else:
        walk.units.append(BookUnit(parts=(path,), format=book_format, root=root))


def _checked_format(walk: _Walk, path: Path, named: BookFormat) -> BookFormat | None:
    """The format the content is: a book format under the wrong name is imported as what it is,
    a non-book under a book's name is a problem."""
    found = inspect(path)
    if found.format is not None:
        if not same_family(found.format, named):
            log.info("%s is really %s, not %s; it is imported as what it is.", path.name, found.description,
                     LABELS[named.name])
            return found.format
        return named
    if found.conclusive:
        walk.problem(path, f"{path.name} is not really {LABELS[named.name]} (it is {found.description}).")
        return None
    return named  # bytes not recognised: trust the name and let the reader judge


# ----- audio: which files are parts of one book ------------------------------------------------

# "Book (Disc 2)", "Book - CD 1", "Book, Part 3": the album of one disc of a book.
_ALBUM_DISC = re.compile(r"[\s,:-]*[(\[]?\s*(?:cd|disc|disk|part|teil)\s*\d+(?:\s*(?:of|/)\s*\d+)?\s*[)\]]?\s*$",
                         re.IGNORECASE)
_DIGITS = re.compile(r"(\d+)")
_PART_NUMBER = re.compile(r"^\s*\d+|\b(?:part|pt|track|chapter|chap|disc|disk|cd|kapitel|teil|file)[\s._-]*\d+",
                          re.IGNORECASE)


def natural_key(text: str) -> list[object]:
    """ "Part 2" before "Part 10", as a listener expects."""
    return [int(p) if p.isdigit() else p.casefold() for p in _DIGITS.split(text)]


def _group_audio(found: list[_Found]) -> list[BookUnit]:
    folders: dict[tuple[Path, str], list[_Found]] = defaultdict(list)
    for item in found:
        folders[(_book_of(item), item.format.name)].append(item)
    tags = _TagCache()
    units: list[BookUnit] = []
    for (folder, _), items in folders.items():
        # Disc folders ("Disc 1/", "CD2/", or siblings "Dune - CD 1/", "Dune - CD 2/") are one book,
        # whatever their files are called or tagged (Audiobookshelf groups disc folders so too):
        # "Disc 1/01.mp3" and "Disc 2/01.mp3" are two parts of one book, not two books.
        in_discs = [i for i in items if i.path.parent != folder]
        loose = [i for i in items if i.path.parent == folder]
        groups = [_in_disc_order(in_discs, tags)] if in_discs else []
        groups += [_in_order(group, folder, tags) for group in (_books_in(loose, tags) if loose else [])]
        for ordered in groups:
            units.append(BookUnit(parts=tuple(i.path for i in ordered), format=ordered[0].format,
                                  root=ordered[0].root))
    return units


def _book_of(item: _Found) -> Path:
    """The folder of the book a file is part of; for a disc, the book its discs make together (a
    path that need not exist when the discs are siblings: "Books/Dune - CD 1" is part of "Books/Dune")."""
    folder = item.path.parent
    if folder == item.root:
        return folder
    if DISC_FOLDER.match(folder.name):
        return folder.parent
    if titled := TITLED_DISC_FOLDER.match(folder.name):
        return folder.parent / titled["book"]
    return folder


def _in_disc_order(items: list[_Found], tags: _TagCache) -> list[_Found]:
    """Disc by disc in the order of their numbers ("CD 2" before "CD 10"), each disc's parts in order."""
    discs: dict[Path, list[_Found]] = defaultdict(list)
    for item in items:
        discs[item.path.parent].append(item)

    def disc_number(folder: Path) -> tuple[int, list[object]]:
        titled = TITLED_DISC_FOLDER.match(folder.name)
        digits = titled["disc"] if titled else (found[1] if (found := _DIGITS.search(folder.name)) else "0")
        return int(digits), natural_key(folder.name)

    ordered: list[_Found] = []
    for disc in sorted(discs, key=disc_number):
        ordered.extend(_in_order(discs[disc], disc, tags))
    return ordered


class _TagCache:
    """(album, track, disc) per file, read at most once: tags are the slow part of discovery."""

    def __init__(self) -> None:
        self._tags: dict[Path, tuple[str | None, int | None, int | None]] = {}

    def __call__(self, path: Path) -> tuple[str | None, int | None, int | None]:
        if path not in self._tags:
            self._tags[path] = grouping_tags(path)
        return self._tags[path]


def _books_in(items: list[_Found], tags: _TagCache) -> list[list[_Found]]:
    """Split one folder's audio files (of one format) into books.

    Files sharing an album tag are one book, and files with different albums different
    books. Untagged files are one book when their names number them ("01 - x", "Part 2",
    "Track 03"); for M4B, whose files are usually whole books, only when the names differ
    in nothing but their numbers ("Book - Part 1", "Book - Part 2").
    """
    if len(items) == 1:
        return [items]
    albums = [_album_key(tags(i.path)[0]) for i in items]
    if any(albums):
        groups: dict[str, list[_Found]] = defaultdict(list)
        loose: list[_Found] = []
        for item, album in zip(items, albums, strict=True):
            (groups[album] if album else loose).append(item)
        books = list(groups.values())
        if loose and len(books) == 1 and _numbered(loose + books[0]):
            books[0].extend(loose)  # a part that lost its tags still belongs by its name
        else:
            books.extend([i] for i in loose)
        return books
    whole_books = items[0].format.name in ("m4b", "m4a")
    if _numbered_alike(items) or (not whole_books and _numbered(items)):
        return [items]
    return [[i] for i in items]


def _album_key(album: str | None) -> str | None:
    if not album:
        return None
    return " ".join(_ALBUM_DISC.sub("", album).casefold().split()) or None


def _numbered(items: list[_Found]) -> bool:
    """Every name numbers a part: "01 - Intro", "Part 2", "Track 03", "Chapter 4 - The Road"."""
    return _numbered_alike(items) or all(_PART_NUMBER.search(i.path.stem) for i in items)


def _numbered_alike(items: list[_Found]) -> bool:
    """True when the names differ only in their numbers: "Book - Part 1", "Book - Part 2"."""
    shapes = {_DIGITS.sub("#", i.path.stem).casefold() for i in items}
    return len(shapes) == 1 and "#" in next(iter(shapes))


def _in_order(items: list[_Found], folder: Path, tags: _TagCache) -> list[_Found]:
    """By disc and track tags when every part has distinct ones, else by name in natural order."""
    def by_name(item: _Found) -> list[object]:
        return natural_key(item.path.relative_to(folder).as_posix())

    if len(items) > 1:
        numbers = [(tags(i.path)[2] or 0, tags(i.path)[1]) for i in items]
        if all(track is not None for _, track in numbers) and len(set(numbers)) == len(numbers):
            keyed = sorted(zip(numbers, items, strict=True), key=lambda pair: (pair[0], by_name(pair[1])))
            return [item for _, item in keyed]
    return sorted(items, key=by_name)
