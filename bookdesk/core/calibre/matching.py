"""Which book already here a calibre book is, when it was never brought over from calibre but its files were
imported before: by calibre's uuid (written in the OPF calibre puts in a book it converts or saves, which the
EPUB reader keeps as "uuid"), by ISBN or ASIN, by the very file (the catalog's path, or the path a copy was
imported from: calibre's metadata may differ from what its files say), or by title and first author as any
import matches them (``importer/already_here``).

Only books in the library (owned) that no calibre book is linked to yet are matched, each once: two calibre
books never land on one book here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from bookdesk.core.calibre.records import CalibreBook
from bookdesk.core.importer.already_here import name_keys_of, title_key
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.data.import_repository import ImportRepository
from bookdesk.vocabulary.people import person_key

_SCHEMES = ("uuid", "calibre_uuid", "isbn", "asin")
_BY = {"uuid": "calibre's uuid", "calibre_uuid": "calibre's uuid", "isbn": "ISBN", "asin": "ASIN"}


@dataclass
class CalibreMatcher:
    identifiers: dict[tuple[str, str], int] = field(default_factory=dict)
    names: dict[tuple[str, str], int] = field(default_factory=dict)
    paths: dict[str, int] = field(default_factory=dict)  # a file's catalog path -> its work
    titles: dict[int, str] = field(default_factory=dict)
    claimed: set[int] = field(default_factory=set)  # matched in this plan: one calibre book each

    @classmethod
    def load(cls, session: Session, linked: set[int]) -> CalibreMatcher:
        """The owned books here that no calibre book is linked to (``linked``: the works that are)."""
        db = session.connection().connection.driver_connection
        owned = {work: title for work, title in db.execute("SELECT id, title FROM works WHERE status = 'owned'")
                 if work not in linked}
        matcher = cls(titles=owned)
        matcher.identifiers = {key: work for key, work in ImportRepository(session).identifier_index(_SCHEMES).items()
                               if work in owned}
        # Where each file is, and where it was imported from (a copy of calibre's file knows its origin).
        for work, path, source in db.execute("SELECT work_id, path, source_path FROM files"):
            if work in owned:
                matcher.paths.setdefault(path, work)
                if source:
                    matcher.paths.setdefault(Path(source).as_posix(), work)
        rows = [row for row in ImportRepository(session).work_names() if row[0] in owned]
        for work, key in name_keys_of(ImportRepository(session).database()).keys(rows):
            matcher.names.setdefault(key, work)
        return matcher

    def match(self, book: CalibreBook, meta: BookMetadata) -> tuple[int, str] | None:
        """The work here ``book`` is, with how it was known ("by its ISBN"), or None."""
        found = self._find(book, meta)
        if found is None or found[0] in self.claimed:
            return None
        self.claimed.add(found[0])
        return found

    def _find(self, book: CalibreBook, meta: BookMetadata) -> tuple[int, str] | None:
        for scheme in _SCHEMES:
            value = book.uuid if scheme in ("uuid", "calibre_uuid") else meta.identifiers.get(scheme)
            work = self.identifiers.get((scheme, value)) if value else None
            if work is not None:
                return work, f"by its {_BY[scheme]}"
        # A file gone from calibre's folder is known too: an import of files that moved it out took it.
        gone = zip(book.missing, book.missing_at, strict=True)
        for kind, path in [*((f.format, f.path) for f in book.formats), *gone]:
            work = self.paths.get(path.as_posix())
            if work is not None:
                return work, f"by its {kind.upper()} file, imported from calibre's folder before"
        if meta.title and meta.contributors:
            work = self.names.get((title_key(meta.title), person_key(meta.contributors[0].name)))
            if work is not None:
                return work, "by its title and author"
        return None
