"""Real qBittorrent and Transmission daemons: a wanted book found on an indexer, grabbed, completed
in the client and imported into the library; and the clear errors when a client is not right."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from bookdesk.core.acquisition.blocklist import Blocklist
from bookdesk.core.acquisition.clients.base import (
    COMPLETED,
    ClientAuthError,
    ClientOfflineError,
    TorrentFile,
    magnet,
)
from bookdesk.core.acquisition.clients.factory import build_client
from bookdesk.core.acquisition.completed import ClientHandle, CompletedDownloads, CompletedOutcome
from bookdesk.core.acquisition.config import ClientConfig, PathMapping
from bookdesk.core.acquisition.search_wanted import GRABBED, SearchWanted
from bookdesk.core.acquisition.torznab import TorznabIndexer
from bookdesk.core.secrets import InMemorySecretStore, source_secret
from bookdesk.core.series.service import SeriesService
from bookdesk.data.download_repository import DownloadRepository
from tests.core.acquisition.torrents.helpers import book_epub, client_config, run
from tests.core.acquisition.torrents.make_torrent import make_torrent
from tests.servers.ports import free_port
from tests.servers.torrent_daemons import Daemon
from tests.servers.torznab_server import API_KEY, FakeRelease, TorznabServer

POLLS = 600  # at 0.1 s each: far more than a local torrent of a small file ever needs


def secrets_for(config: ClientConfig, password: str) -> InMemorySecretStore:
    return InMemorySecretStore({source_secret("client", config.name): password})


async def poll_until_settled(completed: CompletedDownloads) -> list[CompletedOutcome]:
    """Poll until no torrent is in flight any more; every outcome that ended a download, in order."""
    ended: list[CompletedOutcome] = []
    for _ in range(POLLS):
        outcomes = await completed.poll()
        ended += [o for o in outcomes if o.state in ("imported", "failed")]
        if not outcomes:
            return ended
        await asyncio.sleep(0.1)
    raise AssertionError(f"the downloads never finished: {outcomes}")


def test_the_client_answers_with_its_version(daemon: Daemon) -> None:
    config = client_config(daemon)
    client = build_client(config, secrets_for(config, daemon.password))

    async def go() -> str:
        try:
            return await client.test_connection()
        finally:
            await client.aclose()

    version = run(go())
    assert version.lower().startswith(daemon.kind)


def test_a_wrong_password_is_a_clear_error(daemon: Daemon) -> None:
    config = client_config(daemon, name="Seedbox")
    client = build_client(config, secrets_for(config, "not-the-password"))

    async def go() -> None:
        try:
            await client.test_connection()
        finally:
            await client.aclose()

    with pytest.raises(ClientAuthError) as caught:
        run(go())
    assert "Seedbox" in caught.value.message and "refused the user name or password" in caught.value.message


@pytest.mark.parametrize("kind", ["qbittorrent", "transmission"])
def test_a_client_that_is_not_running_is_a_clear_error(kind: str) -> None:
    config = ClientConfig(name="Home server", kind=kind, url=f"http://127.0.0.1:{free_port()}", username="me")
    client = build_client(config, secrets_for(config, "pw"))

    async def go() -> None:
        try:
            await client.status(["0" * 40])
        finally:
            await client.aclose()

    with pytest.raises(ClientOfflineError) as caught:
        run(go())
    assert "Home server" in caught.value.message and "cannot be reached" in caught.value.message
    assert caught.value.retryable


def test_a_magnet_is_added_watched_and_removed(daemon: Daemon, tmp_path: Path) -> None:
    config = client_config(daemon, save_path=tmp_path)
    client = build_client(config, secrets_for(config, daemon.password))
    # Nobody has this torrent: the client looks for its metadata for ever, and that is what we watch.
    link = magnet("magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=Nobody+Seeds+This")

    async def go():
        try:
            torrent_id = await client.add(link, category=config.category, save_path=str(tmp_path))
            again = await client.add(link, category=config.category, save_path=str(tmp_path))  # no error
            seen = await client.status([torrent_id])
            await client.remove(torrent_id, delete_files=True)
            for _ in range(POLLS):  # the client forgets it when it can: on a busy machine, later
                if not await client.status([torrent_id]):
                    return torrent_id, again, seen, []
                await asyncio.sleep(0.1)
            return torrent_id, again, seen, await client.status([torrent_id])
        finally:
            await client.aclose()

    torrent_id, again, seen, after = run(go())
    assert torrent_id == again == "ab" * 20
    assert [t.id for t in seen] == [torrent_id] and not seen[0].complete
    assert after == []


def _flow(daemon: Daemon, service, indexer_config, config: ClientConfig):  # noqa: ANN001, ANN202
    """A search-wanted run against the Torznab server, then polls until every download is done with."""
    client = build_client(config, secrets_for(config, daemon.password))
    handle = ClientHandle(config, client)

    async def go():
        async with httpx.AsyncClient() as http:
            blocklist = Blocklist(service.catalog)
            search = SearchWanted(service, [TorznabIndexer(indexer_config, API_KEY, http)], [handle], blocklist, http)
            completed = CompletedDownloads(service, [handle], blocklist, retry=search.retry_download)
            series = SeriesService(service.catalog)
            try:
                results = await search.run(series.wanted())
                assert any(r.grabbed for r in results), results
            finally:
                series.close()
            try:
                outcomes = await poll_until_settled(completed)
                return results, outcomes, await client.status(None)
            finally:
                await client.aclose()

    return run(go())


def test_a_complete_torrent_of_a_local_file_ends_as_an_imported_book(
        daemon: Daemon, service, want, torznab: TorznabServer, indexer_config, tmp_path: Path) -> None:  # noqa: ANN001
    wanted = want("The Left Hand of Darkness", "Ursula K. Le Guin")
    seed = tmp_path / "client-folder"  # the client's save path, where the complete book already is
    epub = book_epub(seed / "The Left Hand of Darkness.epub", "The Left Hand of Darkness", "Ursula K. Le Guin")
    data, info_hash = make_torrent(epub)
    torznab.serve_file("lhod.torrent", data)
    torznab.releases = [
        FakeRelease("Ursula K. Le Guin - The Left Hand of Darkness (1969) [Retail EPUB]", file="lhod.torrent",
                    size=len(epub.read_bytes()) + 50_000, seeders=40),
        FakeRelease("Ursula K. Le Guin - The Left Hand of Darkness [PDF]", file="missing.torrent", seeders=40),
    ]
    # The client's folder, as this computer sees it under another name: a path mapping joins them.
    mapped = tmp_path / "as-seen-here"
    mapped.symlink_to(seed, target_is_directory=True)
    remove = daemon.kind == "transmission"  # one client keeps seeding, the other lets go after the import
    config = client_config(daemon, save_path=seed, path_mappings=(PathMapping(str(seed), str(mapped)),),
                           remove_after_import=remove)

    results, outcomes, left_in_client = _flow(daemon, service, indexer_config, config)

    [result] = results
    assert result.outcome == GRABBED and result.best is not None
    assert result.best.release.title.endswith("[Retail EPUB]") and result.best.format == "epub"
    assert result.releases == 2 and result.best.total >= 0.5
    [outcome] = outcomes
    assert outcome.state == "imported" and outcome.work_id == wanted.work_id, outcome
    with service.catalog.read() as session:
        [row] = DownloadRepository(session).recent()
    assert (row.kind, row.state, row.client, row.client_id) == ("torrent", "imported", config.name, info_hash)
    assert row.indexer == "Test Prowlarr" and row.guid and row.expected_format == "epub"
    detail = service.detail(wanted.work_id)
    assert detail.status == "owned" and [f.format for f in detail.files] == ["epub"]
    assert service.absolute(detail.files[0].path).is_file()
    if remove:
        assert info_hash not in {t.id for t in left_in_client} and not epub.exists()
    else:  # still seeding from the client's own copy
        assert [t.state for t in left_in_client if t.id == info_hash] == [COMPLETED] and epub.exists()


def test_a_torrent_that_is_not_a_book_is_blocklisted_and_the_next_release_grabbed(
        daemon: Daemon, service, want, torznab: TorznabServer, indexer_config, tmp_path: Path) -> None:  # noqa: ANN001
    wanted = want("Dune", "Frank Herbert")
    seed = tmp_path / "client-folder"
    junk = seed / "Frank Herbert - Dune (Retail) [EPUB]"
    junk.mkdir(parents=True)
    (junk / "Dune.nfo").write_text("Ripped by nobody\n" * 200)
    (junk / "cover.jpg").write_bytes(b"\xff\xd8\xff" + bytes(30_000))
    bad, bad_hash = make_torrent(junk)
    epub = book_epub(seed / "Dune.epub", "Dune", "Frank Herbert")
    good, good_hash = make_torrent(epub)
    torznab.serve_file("bad.torrent", bad)
    torznab.serve_file("good.torrent", good)
    torznab.releases = [  # the one that is not a book looks better: more seeders
        FakeRelease("Frank Herbert - Dune (Retail) [EPUB]", file="bad.torrent", seeders=90),
        FakeRelease("Frank Herbert - Dune [EPUB]", file="good.torrent", seeders=6),
    ]
    config = client_config(daemon, save_path=seed)

    results, outcomes, _ = _flow(daemon, service, indexer_config, config)

    assert results[0].best.release.title == "Frank Herbert - Dune (Retail) [EPUB]"
    imported = [o for o in outcomes if o.state == "imported"]
    assert [o.work_id for o in imported] == [wanted.work_id]
    with service.catalog.read() as session:
        rows = sorted(DownloadRepository(session).recent(), key=lambda r: r.id)
    assert [(r.client_id, r.state) for r in rows] == [(bad_hash, "failed"), (good_hash, "imported")]
    assert "no ebook" in (rows[0].last_error or "")
    [entry] = Blocklist(service.catalog).entries()
    assert entry.title == "Frank Herbert - Dune (Retail) [EPUB]" and entry.work_id == wanted.work_id
    assert entry.correlation_id == rows[0].correlation_id


def test_a_torrent_file_names_the_same_torrent_as_the_client(daemon: Daemon, tmp_path: Path) -> None:
    epub = book_epub(tmp_path / "Kindred.epub", "Kindred", "Octavia E. Butler")
    data, expected = make_torrent(epub)
    config = client_config(daemon, save_path=tmp_path)
    client = build_client(config, secrets_for(config, daemon.password))

    async def go():
        try:
            torrent_id = await client.add(TorrentFile.from_bytes(data), category=config.category,
                                          save_path=str(tmp_path))
            for _ in range(POLLS):
                [torrent] = await client.status([torrent_id])
                if torrent.complete:
                    break
                await asyncio.sleep(0.1)
            await client.remove(torrent_id, delete_files=False)
            return torrent_id, torrent
        finally:
            await client.aclose()

    torrent_id, torrent = run(go())
    assert torrent_id == expected == torrent.id
    assert torrent.complete and torrent.progress == 1.0 and torrent.size == epub.stat().st_size
    assert Path(torrent.content_path) == epub
    assert epub.exists()  # removed without its data
