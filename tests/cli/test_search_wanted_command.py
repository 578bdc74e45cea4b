"""``bookdesk search-wanted``: a script searches the indexer for every wanted book, as a person would
from a terminal, with the API key and the client password in the environment."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bookdesk.core.library_service import LibraryService
from bookdesk.core.secrets import source_secret
from bookdesk.core.settings import Settings, save_settings
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.data.wanted_repository import WantedRepository
from bookdesk.platform.keyring_store import EnvironmentOverrides
from tests.core.acquisition.torrents.helpers import book_epub
from tests.core.acquisition.torrents.make_torrent import make_torrent
from tests.servers.torrent_daemons import Daemon, qbittorrent_daemon_fixture  # noqa: F401
from tests.servers.torznab_server import API_KEY, FakeRelease, TorznabServer, torznab_fixture  # noqa: F401


def variable(kind: str, name: str) -> str:
    """The environment variable a script sets for a source's secret."""
    return EnvironmentOverrides.variable(source_secret(kind, name))

INDEXER = "Test Prowlarr"


@pytest.fixture
def wanted_library(library_dir: Path) -> tuple[Path, list[int]]:
    """A library wanting two books (and holding nothing else); closed again, as the CLI opens it."""
    return library_dir, make_wanted_library(library_dir)


def make_wanted_library(folder: Path) -> list[int]:
    """Make the library of ``wanted_library`` at ``folder`` (the hostile-memory bench uses it too)."""
    service = LibraryService.open(folder)
    try:
        with service.catalog.write() as session:
            repo = WantedRepository(session)
            ids = repo.add_placeholders(
                [NewWork("Kindred", [Contributor("Octavia E. Butler")], status="wanted"),
                 NewWork("The Dispossessed", [Contributor("Ursula K. Le Guin")], status="wanted")],
                [None, None], ["ebook", "ebook"], datetime.now(UTC).replace(tzinfo=None))
            repo.refresh_search(ids)
    finally:
        service.close()
    return ids


@pytest.fixture
def keys_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")  # never the real keyring
    monkeypatch.setenv(variable("indexer", INDEXER), API_KEY)


def settings(torznab: TorznabServer, clients: list[dict] | None = None) -> None:
    save_settings(Settings(indexers=[{"name": INDEXER, "url": torznab.api}], download_clients=clients or []))


def test_the_environment_variable_names_are_readable() -> None:
    assert variable("indexer", "My Prowlarr (books)") == "BOOKDESK_INDEXER_MY_PROWLARR_BOOKS"
    assert variable("client", "qbit-nas") == "BOOKDESK_CLIENT_QBIT_NAS"


def test_a_dry_run_ranks_every_wanted_book_and_grabs_nothing(run_cli, torznab: TorznabServer, wanted_library,
                                                             keys_in_environment) -> None:  # noqa: ANN001
    library, ids = wanted_library
    torznab.releases = [FakeRelease("Octavia E. Butler - Kindred (1979) [Retail EPUB]", file="k.torrent"),
                        FakeRelease("Octavia E. Butler - Kindred [PDF]", file="k2.torrent")]
    settings(torznab)

    done = run_cli("search-wanted", "--library", library, "--dry-run", "--json")

    assert done.returncode == 0, done.stderr
    works = {w["title"]: w for w in json.loads(done.stdout)["works"]}
    kindred, dispossessed = works["Kindred"], works["The Dispossessed"]
    assert kindred["work_id"] == ids[0] and kindred["releases"] == 2 and kindred["grabbed"] is False
    assert kindred["best"]["title"] == "Octavia E. Butler - Kindred (1979) [Retail EPUB]"
    assert kindred["best"]["indexer"] == INDEXER and kindred["best"]["score"] >= 0.5
    assert kindred["error"] is None and kindred["outcome"] == "dry-run"
    assert dispossessed["releases"] == 0 and dispossessed["best"] is None and dispossessed["grabbed"] is False
    assert all(r.params.get("apikey") == API_KEY for r in torznab.requests)


def test_the_best_release_goes_to_the_download_client(run_cli, torznab: TorznabServer, wanted_library,
                                                      keys_in_environment, qbittorrent_daemon: Daemon, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    library, ids = wanted_library
    epub = book_epub(tmp_path / "seed" / "Kindred.epub", "Kindred", "Octavia E. Butler")
    data, info_hash = make_torrent(epub)
    torznab.serve_file("k.torrent", data)
    torznab.releases = [FakeRelease("Octavia E. Butler - Kindred (1979) [Retail EPUB]", file="k.torrent")]
    settings(torznab, [{"name": "Seedbox", "kind": "qbittorrent", "url": qbittorrent_daemon.url,
                        "username": qbittorrent_daemon.username, "save_path": str(tmp_path / "seed")}])
    monkeypatch.setenv(variable("client", "Seedbox"), qbittorrent_daemon.password)

    done = run_cli("search-wanted", "--library", library, "--json")

    assert done.returncode == 0, done.stderr
    [kindred] = [w for w in json.loads(done.stdout)["works"] if w["title"] == "Kindred"]
    assert kindred["grabbed"] is True and kindred["outcome"] == "grabbed"
    service = LibraryService.open(library, exclusive=False, create=False)
    try:
        with service.catalog.read() as session:
            [row] = DownloadRepository(session).recent()
    finally:
        service.close()
    assert (row.kind, row.client, row.client_id, row.work_id) == ("torrent", "Seedbox", info_hash, ids[0])


def test_an_indexer_refusing_the_key_fails_every_search_with_its_reason(run_cli, torznab: TorznabServer,
                                                                        wanted_library, monkeypatch) -> None:  # noqa: ANN001
    library, _ = wanted_library
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setenv(variable("indexer", INDEXER), "not-the-key")
    settings(torznab)

    done = run_cli("search-wanted", "--library", library, "--json")

    assert done.returncode == 1
    works = json.loads(done.stdout)["works"]
    assert len(works) == 2 and all(w["grabbed"] is False for w in works)
    assert all("Test Prowlarr refused the API key" in w["error"] for w in works)


def test_without_an_indexer_the_command_says_what_to_set_up(run_cli, wanted_library) -> None:  # noqa: ANN001
    library, _ = wanted_library
    done = run_cli("search-wanted", "--library", library, "--json")
    assert done.returncode == 2 and "No indexer is set up" in done.stderr and done.stdout == ""


def test_bookdesk_sync_searches_for_the_wanted_books_and_follows_the_client_as_scheduled_jobs(
        capsys, torznab: TorznabServer, wanted_library, keys_in_environment, qbittorrent_daemon: Daemon,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from bookdesk.cli import sync_command

    library, ids = wanted_library
    epub = book_epub(tmp_path / "seed" / "Kindred.epub", "Kindred", "Octavia E. Butler")
    data, _info_hash = make_torrent(epub)
    torznab.serve_file("k.torrent", data)
    torznab.releases = [FakeRelease("Octavia E. Butler - Kindred (1979) [Retail EPUB]", file="k.torrent")]
    settings(torznab, [{"name": "Seedbox", "kind": "qbittorrent", "url": qbittorrent_daemon.url,
                        "username": qbittorrent_daemon.username, "save_path": str(tmp_path / "seed")}])
    monkeypatch.setenv(variable("client", "Seedbox"), qbittorrent_daemon.password)

    def online() -> bool:
        return True

    assert sync_command.run(library, True, network_up=online) == 0
    jobs = {job["kind"]: job for job in json.loads(capsys.readouterr().out)["jobs"]}
    assert jobs["search-wanted"]["status"] == "succeeded"
    assert jobs["search-wanted"]["summary"] == "2 searched, 1 grabbed"

    # The next sync follows the torrent in the client (its import is covered with the clients' own tests).
    assert sync_command.run(library, True, network_up=online) == 0
    jobs = {job["kind"]: job for job in json.loads(capsys.readouterr().out)["jobs"]}
    assert jobs["poll-clients"]["status"] == "succeeded"
    assert jobs["poll-clients"]["summary"] in ("1 downloading, 0 imported", "0 downloading, 1 imported")
    service = LibraryService.open(library, exclusive=False, create=False)
    try:
        with service.catalog.read() as session:
            [row] = DownloadRepository(session).recent()
        assert (row.kind, row.client, row.work_id) == ("torrent", "Seedbox", ids[0])
    finally:
        service.close()
