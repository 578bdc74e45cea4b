"""Which BookDesk work an Audiobookshelf item is: by a path mapping when the server and this machine see
the same disk (one of the item's files is a file of the library), else by ASIN or ISBN, else by title and
first author, through the matching an import uses (``importer/already_here.py``). An audiobook on the
server and the ebook on disk are one work. An item matching nothing becomes a work of its own, on the
server only."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bookdesk.core.audiobookshelf.config import AbsServerConfig
from bookdesk.core.audiobookshelf.items import AbsItem
from bookdesk.core.importer.already_here import LibraryIndex, title_key
from bookdesk.data.abs_link_repository import AbsLinkRepository
from bookdesk.data.import_repository import ImportRepository
from bookdesk.data.work_writer import add_works
from bookdesk.vocabulary.people import person_key


class Linker:
    """Links items to works in one write transaction (``session``), remembering the works it made so
    that the same book in two of the server's libraries (its audiobook and its ebook) is one work."""

    def __init__(self, session: Session, folder: Path, config: AbsServerConfig) -> None:
        self.session = session
        self.folder = folder
        self.config = config
        self.links = AbsLinkRepository(session)
        self.index = LibraryIndex()
        self.index.load_works(ImportRepository(session))

    def work_for(self, item: AbsItem) -> tuple[int | None, str]:
        """(the work, how it was found: path, asin, isbn or title), or (None, "new")."""
        paths = [p for p in (self._relative(f) for f in item.files) if p]
        if paths:
            found = self.links.work_with_file(paths)
            if found is not None:
                return found, "path"
        for scheme, value in (("asin", item.asin), ("isbn", item.isbn)):
            work = self.index.identifiers.get((scheme, value)) if value else None
            if isinstance(work, int):
                return work, scheme
        if item.authors:
            work = self.index.works_by_name.get((title_key(item.title), person_key(item.authors[0])))
            if isinstance(work, int):
                return work, "title"
        return None, "new"

    def add_work(self, item: AbsItem, *, now: datetime) -> int:
        """A work for ``item``, which no local book is: owned, with no file here."""
        work_id = add_works(self.session, [item.new_work()], now=now)[0]
        self.index.remember(work_id, f"audiobookshelf:{self.config.name}:{item.item_id}", item.metadata(), "")
        return work_id

    def _relative(self, server_path: str) -> str | None:
        local = self.config.local_path(server_path)
        if local is None:
            return None
        try:
            return Path(local).resolve().relative_to(self.folder.resolve()).as_posix()
        except (ValueError, OSError):
            return None
