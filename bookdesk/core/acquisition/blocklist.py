"""Releases that failed are never grabbed again: the blocklist as search and ranking use it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bookdesk import correlation
from bookdesk.core.acquisition.ranking import BlockedReleases
from bookdesk.core.acquisition.torznab import Release
from bookdesk.data.blocklist_repository import BlocklistRecord, BlocklistRepository
from bookdesk.data.catalog import Catalog

log = logging.getLogger(__name__)

HASH_GUID_PREFIX = "btih:"  # a release known only by its torrent (a Download row without a guid)


class Blocklist:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def block(self, *, work_id: int | None, indexer: str | None, guid: str | None, title: str, reason: str,
              correlation_id: str | None = None) -> int:
        """Block a release for good (until a person removes the entry); returns the entry's id."""
        cid = correlation_id or correlation.current()
        log.info("blocklisting %r from %s: %s", title, indexer or "an unknown indexer", reason)
        with self.catalog.write() as session:
            return BlocklistRepository(session).add(
                work_id=work_id, indexer=indexer, guid=guid, title=title, reason=reason, correlation_id=cid,
                now=datetime.now(UTC).replace(tzinfo=None))

    def block_release(self, release: Release, work_id: int | None, reason: str) -> int:
        return self.block(work_id=work_id, indexer=release.indexer, guid=release.guid, title=release.title,
                          reason=reason)

    def entries(self, work_id: int | None = None) -> list[BlocklistRecord]:
        with self.catalog.read() as session:
            return BlocklistRepository(session).entries(work_id)

    def remove(self, entry_id: int) -> bool:
        with self.catalog.write() as session:
            return BlocklistRepository(session).remove(entry_id)

    def blocked_for(self, work_id: int | None) -> BlockedReleases:
        """What ranking must leave out for ``work_id``: every release blocked anywhere by indexer and guid,
        and by name those blocked for this work (a name alone is too loose across works)."""
        every = self.entries()
        mine = [e for e in every if work_id is not None and e.work_id == work_id]
        hashes = [e.guid[len(HASH_GUID_PREFIX):] for e in every if e.guid and e.guid.startswith(HASH_GUID_PREFIX)]
        return BlockedReleases(keys=[(e.indexer, e.guid) for e in every], titles=[e.title for e in mine],
                               hashes=hashes)
