"""``bookdesk opds URL [--search TEXT] [--user NAME] [--json]`` as a person or a script uses it."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookdesk.cli import opds_command
from bookdesk.core.secrets import InMemorySecretStore
from tests.core.net.local_server import LocalServer, Reply
from tests.servers.calibre_server import (  # noqa: F401 - session fixtures
    PASSWORD,
    USER,
    CalibreServer,
    calibre_digest_server_fixture,
    calibre_library_fixture,
    calibre_server_fixture,
    requires_calibre,
)

FEEDS = Path(__file__).resolve().parents[1] / "core" / "acquisition" / "opds" / "feeds"
CHALLENGE = Reply(401, b"", headers={"WWW-Authenticate": 'Basic realm="catalog"'})


def atom(name: str) -> Reply:
    return Reply(body=(FEEDS / f"{name}.xml").read_bytes(), content_type="application/atom+xml")


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture(name="server")
def local_server() -> Iterator[LocalServer]:
    """A scripted HTTP server on 127.0.0.1."""
    running = LocalServer().start()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def no_password_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(opds_command.PASSWORD_VARIABLE, raising=False)


def test_json_lists_entries_with_absolute_acquisition_links(server: LocalServer, capsys):
    server.route("GET", "/feeds/opds/new-releases", atom("standard_ebooks_new_releases"))

    code = opds_command.run(f"{server.url}/feeds/opds/new-releases", None, None, True)

    out = capsys.readouterr().out
    document = json.loads(out)
    assert code == 0
    letters = document["entries"][0]
    assert letters["title"] == "Letters Between Two Writers"
    assert letters["authors"] == ["Mary Wollstonecraft", "William Godwin"]
    assert letters["acquisitions"][0] == {
        "href": f"{server.url}/ebooks/mary-wollstonecraft-and-william-godwin/letters/downloads/letters.epub",
        "type": "application/epub+zip", "format": "epub", "rel": "http://opds-spec.org/acquisition/open-access",
        "size": None}
    assert letters["series"] == "Collected Letters" and letters["series_index"] == 2.0
    assert document["search"] == f"{server.url}/ebooks/opensearch"


def test_navigation_entries_carry_where_they_lead(server: LocalServer, capsys):
    server.route("GET", "/feeds/opds", atom("standard_ebooks_root"))

    assert opds_command.run(f"{server.url}/feeds/opds", None, None, True) == 0

    entries = json.loads(capsys.readouterr().out)["entries"]
    assert entries[0]["navigation"] == f"{server.url}/feeds/opds/new-releases"
    assert entries[0]["acquisitions"] == []


def test_the_readable_listing_shows_books_formats_and_the_next_page(server: LocalServer, capsys):
    server.route("GET", "/opds/v1.2/series/0A1B2C3D", atom("komga_books"))

    assert opds_command.run(f"{server.url}/opds/v1.2/series/0A1B2C3D", None, None, False) == 0

    out = capsys.readouterr().out
    assert "Night Watch 001 — Rena Solt" in out
    assert f"cbz    {server.url}/api/v1/books/B001/file/Night%20Watch%20001.cbz" in out
    assert f"next page: {server.url}/opds/v1.2/series/0A1B2C3D?page=1" in out
    assert out.rstrip().endswith("2 entries")


def test_search_goes_through_the_opensearch_description(server: LocalServer, capsys):
    server.route("GET", "/api/opds/k3y-1234/series/5", atom("kavita_series"))
    server.route("GET", "/api/opds/k3y-1234/search", atom("kavita_opensearch"))
    server.route("GET", "/api/opds/k3y-1234/series", atom("kavita_series"))

    assert opds_command.run(f"{server.url}/api/opds/k3y-1234/series/5", "long voyage", None, True) == 0

    assert json.loads(capsys.readouterr().out)["entries"][0]["title"] == "The Long Voyage - Volume 1"
    assert server.requests_to("/api/opds/k3y-1234/series")[0].param("query") == "long voyage"


def test_a_url_that_is_not_http_is_bad_usage(capsys):
    assert opds_command.run("ftp://books.example/opds", None, None, True) == 2
    captured = capsys.readouterr()
    assert "http:// or https://" in captured.err and captured.out == ""


def test_a_failed_fetch_exits_1_with_a_reference(server: LocalServer, capsys):
    server.route("GET", "/opds", Reply(body=b"<html><body>Welcome</body></html>", content_type="text/html"))

    assert opds_command.run(f"{server.url}/opds", None, None, True) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "web page" in captured.err and "(Ref BD-" in captured.err


def test_a_catalog_that_wants_a_password_says_how_to_give_one(server: LocalServer, capsys):
    server.route("GET", "/opds", CHALLENGE)

    assert opds_command.run(f"{server.url}/opds", None, None, False) == 1

    err = capsys.readouterr().err
    assert "needs a user name and password" in err
    assert "--user" in err and "BOOKDESK_OPDS_PASSWORD" in err


def test_the_password_comes_from_the_environment(server: LocalServer, monkeypatch, capsys):
    monkeypatch.setenv("BOOKDESK_OPDS_PASSWORD", "from env")
    server.route("GET", "/opds", CHALLENGE, atom("calibre_book"))

    assert opds_command.run(f"{server.url}/opds", None, "ann", True) == 0

    assert server.requests_to("/opds")[-1].headers["authorization"] == basic("ann", "from env")


def test_a_catalog_in_the_settings_gives_the_user_and_its_keyring_entry(server: LocalServer, monkeypatch,
                                                                          user_folders, capsys):
    config = user_folders / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"opds_catalogs": [
        {"name": "Home shelf", "url": f"{server.url}/opds", "username": "ann"}]}), encoding="utf-8")
    store = InMemorySecretStore({"opds:Home shelf": "kept safe"})
    monkeypatch.setattr("bookdesk.platform.keyring_store.system_secret_store", lambda: store)
    server.route("GET", "/opds/navcatalog/4f", CHALLENGE, atom("calibre_book"))

    assert opds_command.run(f"{server.url}/opds/navcatalog/4f", None, None, True) == 0

    assert server.requests_to("/opds/navcatalog/4f")[-1].headers["authorization"] == basic("ann", "kept safe")


def test_an_unknown_catalog_is_looked_up_in_the_keyring_by_host_and_port(server: LocalServer, monkeypatch, capsys):
    asked: list[str] = []

    class Store(InMemorySecretStore):
        def get(self, name: str) -> str | None:
            asked.append(name)
            return "pw"

    monkeypatch.setattr("bookdesk.platform.keyring_store.system_secret_store", Store)
    server.route("GET", "/opds", CHALLENGE, atom("calibre_book"))

    assert opds_command.run(f"{server.url}/opds", None, "ann", True) == 0
    assert asked == [f"opds:{server.host}"]


@requires_calibre
def test_searching_a_real_calibre_server_from_the_command_line(calibre_server: CalibreServer, calibre_library,
                                                               run_cli):
    _, truth = calibre_library

    result = run_cli("opds", calibre_server.opds_url, "--search", truth[1]["title"], "--json")

    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)["entries"]
    found = [e for e in entries if e["title"] == truth[1]["title"]]
    assert found and found[0]["authors"] == [truth[1]["author"]]
    assert found[0]["acquisitions"][0]["type"] == "application/epub+zip"
    assert found[0]["acquisitions"][0]["href"].startswith(calibre_server.url + "/get/epub/")


@requires_calibre
def test_a_password_protected_calibre_server_from_the_command_line(calibre_digest_server: CalibreServer,
                                                                   run_cli, monkeypatch):
    refused = run_cli("opds", calibre_digest_server.opds_url, "--json")
    monkeypatch.setenv("BOOKDESK_OPDS_PASSWORD", PASSWORD)
    opened = run_cli("opds", calibre_digest_server.opds_url, "--user", USER)

    assert refused.returncode == 1 and "needs a user name and password" in refused.stderr
    assert refused.stdout == ""
    assert opened.returncode == 0, opened.stderr
    assert "calibre Library" in opened.stdout and "> By Title" in opened.stdout
