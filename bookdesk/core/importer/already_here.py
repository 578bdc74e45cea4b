"""Is this book already in the library? Same file (hash), same work (identifiers, or title and
author), or new. An ebook and an audiobook of one work become one Work with two files."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.data.import_repository import ImportRepository
from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.people import person_key
from bookdesk.vocabulary.titles import split_subtitle, title_sort

_NON_WORD = re.compile(r"[^\w]+")


def title_key(title: str) -> str:
    """ "The Left Hand of Darkness: A Novel" ~ "left hand of darkness"."""
    main, _ = split_subtitle(title)
    return " ".join(_NON_WORD.sub(" ", fold(title_sort(main))).split())


def first_author(authors_display: str | None) -> str:
    return authors_display.split(" & ")[0] if authors_display else ""


class NameKeys:
    """Every work's (title key, person key) in one catalog, remembered between imports in this process.

    Working the keys out is Python over every work (most of a second on 100,000 books), and while it ran
    the GUI thread waited for the GIL at every call a paint made into Python (bench/ui_stalls.py, import;
    py-spy: ``LibraryIndex.load_works``). Remembered with the title and author they came from, a later
    import works out only the keys of works added or renamed since. New keys are worked out a slice at a
    time, and after each slice the thread sleeps as long as the slice took: the GIL is free at least half
    the time, so the window's calls wait half as often, at the cost of a slower first import.
    """

    SLICE = 400  # keys worked out between two pauses

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[int, tuple[str, str, tuple[str, str]]] = {}  # work id -> (title, authors, key)

    def keys(self, rows: list[tuple[int, str, str]]) -> list[tuple[int, tuple[str, str]]]:
        """(work id, key) for each (work id, title, authors_display) row, in their order."""
        with self._lock:
            known, fresh, out = self._known, {}, []
            made, started = 0, time.perf_counter()
            for work_id, title, authors in rows:
                title, authors = title or "", authors or ""
                seen = known.get(work_id)
                if seen is not None and seen[0] == title and seen[1] == authors:
                    key = seen[2]
                else:
                    key = (title_key(title), person_key(first_author(authors)))
                    made += 1
                    if made % self.SLICE == 0:
                        time.sleep(time.perf_counter() - started)
                        started = time.perf_counter()
                fresh[work_id] = (title, authors, key)
                out.append((work_id, key))
            self._known = fresh  # works gone from the catalog are forgotten
            return out


_name_keys: dict[str, NameKeys] = {}
_name_keys_lock = threading.Lock()


def name_keys_of(database: str) -> NameKeys:
    """The one NameKeys of the catalog at ``database`` (its file's path)."""
    with _name_keys_lock:
        return _name_keys.setdefault(database, NameKeys())


@dataclass(slots=True)
class Match:
    kind: str  # "new", "same_file", "same_work"
    work: object = None  # an existing work id, or the planned item of a new work in this import
    has_format: bool = False  # the matched work already has a file of this format
    reason: str = ""


@dataclass
class LibraryIndex:
    """What the library holds, loaded once per import, plus what this import has planned so far."""

    hashes: dict[str, object] = field(default_factory=dict)
    identifiers: dict[tuple[str, str], object] = field(default_factory=dict)
    works_by_name: dict[tuple[str, str], object] = field(default_factory=dict)
    formats: dict[object, set[str]] = field(default_factory=dict)
    sources: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, repo: ImportRepository) -> LibraryIndex:
        index = cls(sources=repo.seen_sources())
        index.load_works(repo)
        return index

    def load_works(self, repo: ImportRepository) -> None:
        """What is needed to match books that must be read; skipped when every file is unchanged."""
        self.hashes.update(repo.file_hashes())
        self.identifiers.update(repo.identifier_index())
        self.paths.update(repo.file_paths())
        for work_id, key in name_keys_of(repo.database()).keys(repo.work_names()):
            self.works_by_name.setdefault(key, work_id)
            self.formats[work_id] = set()
        for work_id, fmt in repo.work_formats():
            self.formats.setdefault(work_id, set()).add(fmt)

    def unchanged_source(self, path: str, size: int, mtime_ns: int) -> int | None:
        """The work a file became when it was imported before, if it has not changed since."""
        seen = self.sources.get(path)
        return seen[2] if seen is not None and seen[:2] == (size, mtime_ns) else None

    def match(self, content_hash: str, metadata: BookMetadata, fmt: str) -> Match:
        if content_hash in self.hashes:
            return Match("same_file", self.hashes[content_hash], True, "the same file is already in the library")
        work = None
        for scheme in ("isbn", "asin"):
            value = metadata.identifiers.get(scheme)
            if value and (scheme, value) in self.identifiers:
                work = self.identifiers[(scheme, value)]
                break
        if work is None and metadata.title and metadata.authors:
            work = self.works_by_name.get((title_key(metadata.title), person_key(metadata.authors[0].name)))
        if work is None:
            return Match("new")
        has = fmt in self.formats.get(work, set())
        reason = f"a {fmt.upper()} of this book is already in the library" if has else ""
        return Match("same_work", work, has, reason)

    def remember(self, work: object, content_hash: str, metadata: BookMetadata, fmt: str) -> None:
        """Count a book planned in this import, so a second copy or format of it in the same batch is seen."""
        self.hashes[content_hash] = work
        for scheme in ("isbn", "asin"):
            value = metadata.identifiers.get(scheme)
            if value:
                self.identifiers.setdefault((scheme, value), work)
        if metadata.title and metadata.authors:
            self.works_by_name.setdefault((title_key(metadata.title), person_key(metadata.authors[0].name)), work)
        self.formats.setdefault(work, set()).add(fmt)
