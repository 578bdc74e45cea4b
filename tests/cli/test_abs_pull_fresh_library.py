"""``bookdesk abs pull`` on a fresh install makes the library, as ``bookdesk import`` does, and brings the
server's books into it."""

from __future__ import annotations

import json

from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture


def test_the_first_pull_makes_the_library_and_brings_the_books(abs_server, run_cli, tmp_path, monkeypatch):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Ed Eld/Ember", "Ember", "Ed Eld")])
    monkeypatch.setenv("BOOKDESK_AUDIOBOOKSHELF_HOME", abs_server.api_key)
    library = tmp_path / "never-opened"

    added = run_cli("abs", "add", "Home", abs_server.url, "--abs-library", library_name)
    pulled = run_cli("abs", "pull", "--library", library, "--json")
    listing = run_cli("list", "--library", library, "--json")

    assert added.returncode == 0, added.stderr
    assert pulled.returncode == 0, pulled.stderr
    assert json.loads(pulled.stdout)["new"] == 1
    assert [b["title"] for b in json.loads(listing.stdout)["books"]] == ["Ember"]
