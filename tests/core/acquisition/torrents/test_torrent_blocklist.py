"""The blocklist in the catalog: a release that failed is remembered with why, and kept out of ranking."""

from __future__ import annotations

from bookdesk import correlation
from bookdesk.core.acquisition.blocklist import Blocklist
from bookdesk.core.acquisition.ranking import WantedWork, rank
from bookdesk.core.acquisition.torznab import Release


def test_a_failed_release_is_blocked_once_and_ranked_never(service, want) -> None:  # noqa: ANN001
    wanted = want("Dune", "Frank Herbert")
    blocklist = Blocklist(service.catalog)
    bad = Release("Prowlarr", "Frank Herbert - Dune [EPUB]", "guid-1", "http://idx/1.torrent", size=2_000_000,
                  seeders=50, categories=(7020,))
    good = Release("Prowlarr", "Frank Herbert - Dune (Retail) [AZW3]", "guid-2", "http://idx/2.torrent",
                   size=2_000_000, seeders=5, categories=(7020,))
    with correlation.bound("BD-7K3Q9"):
        first = blocklist.block_release(bad, wanted.work_id, "The release holds no ebook")
    again = blocklist.block_release(bad, wanted.work_id, "failed again")
    assert first == again
    [entry] = blocklist.entries(wanted.work_id)
    assert (entry.indexer, entry.guid, entry.reason, entry.correlation_id) == (
        "Prowlarr", "guid-1", "The release holds no ebook", "BD-7K3Q9")

    ranking = rank([bad, good], WantedWork(wanted.work_id, "Dune", ("Frank Herbert",), "ebook"),
                   blocked=blocklist.blocked_for(wanted.work_id))
    assert [r.release.guid for r in ranking.releases] == ["guid-2"] and ranking.blocked == [bad]

    assert blocklist.remove(entry.id) and blocklist.entries() == []
    assert len(rank([bad, good], WantedWork(wanted.work_id, "Dune"), blocked=blocklist.blocked_for(1)).releases) == 2
