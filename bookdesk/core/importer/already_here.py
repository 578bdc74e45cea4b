"""Is this book already in the library? Same file (hash), same work (identifiers, or title and
author), or new. An ebook and an audiobook of one work become one Work with two files."""

from __future__ import annotations

import re
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
        for work in repo.known_works():
            self.works_by_name.setdefault((title_key(work.title), person_key(work.first_author)), work.id)
            self.formats[work.id] = set(work.formats)

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
