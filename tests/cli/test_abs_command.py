"""``bookdesk abs add|servers|pull`` against a real Audiobookshelf server, as a script runs them: the key
given in the environment for the run, never written to the settings, a log or the output."""

from __future__ import annotations

import json

from bookdesk.core.library_service import LibraryService
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture

VARIABLE = "BOOKDESK_AUDIOBOOKSHELF_HOME_NAS"


def _files_text(folder) -> str:  # noqa: ANN001
    return "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def test_add_then_pull_links_the_servers_books_and_the_key_is_written_nowhere(
        abs_server, run_cli, library_dir, user_folders, monkeypatch):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Ann Archer/Ash", "Ash", "Ann Archer"),
                                             Book("Bo Baker/Bone", "Bone", "Bo Baker", fmt="mp3")])
    monkeypatch.setenv(VARIABLE, abs_server.api_key)
    LibraryService.open(library_dir).close()

    added = run_cli("abs", "add", "Home NAS", abs_server.url, "--abs-library", library_name, "--json")
    listed = run_cli("abs", "servers", "--json")
    pulled = run_cli("abs", "pull", "Home NAS", "--library", library_dir, "--json")
    listing = run_cli("list", "--library", library_dir, "--json")

    assert added.returncode == 0, added.stderr
    answer = json.loads(added.stdout)
    assert answer["version"] == "2.36.0" and library_name in answer["libraries"]
    servers = json.loads(listed.stdout)["servers"]
    assert [(s["name"], s["url"], s["libraries"], s["key_variable"]) for s in servers] == [
        ("Home NAS", abs_server.url, [library_name], VARIABLE)]
    assert pulled.returncode == 0, pulled.stderr
    report = json.loads(pulled.stdout)
    assert {k: report[k] for k in ("items", "linked", "new", "updated", "removed")} == {
        "items": 2, "linked": 0, "new": 2, "updated": 0, "removed": 0}
    assert report["correlation_id"]
    books = json.loads(listing.stdout)["books"]
    assert sorted((b["title"], b["on_server"], b["files"]) for b in books) == [
        ("Ash", ["Home NAS"], []), ("Bone", ["Home NAS"], [])]
    for run in (added, listed, pulled):
        assert abs_server.api_key not in run.stdout + run.stderr
    assert abs_server.api_key not in _files_text(user_folders) + _files_text(library_dir)


def test_a_wrong_key_fails_the_pull_naming_the_server(abs_server, run_cli, library_dir, monkeypatch):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Cy Cole/Cinder", "Cinder", "Cy Cole")])
    monkeypatch.setenv(VARIABLE, "a-key-the-server-never-gave")
    LibraryService.open(library_dir).close()

    added = run_cli("abs", "add", "Home NAS", abs_server.url, "--abs-library", library_name)
    pulled = run_cli("abs", "pull", "--library", library_dir, "--json")

    assert added.returncode == 1 and "refused the API key" in added.stderr  # kept, and said it does not work
    assert pulled.returncode == 1
    assert "Audiobookshelf server Home NAS refused the API key" in pulled.stderr
    error = json.loads(pulled.stdout)["error"]
    assert error["message"].startswith("Audiobookshelf server Home NAS refused the API key")
    assert error["correlation_id"] in pulled.stderr


def test_a_key_typed_where_there_is_no_keyring_is_said_to_last_for_this_run_only(
        abs_server, monkeypatch, capsys, user_folders):  # noqa: F811
    from bookdesk.cli import abs_command
    from bookdesk.core.secrets import InMemorySecretStore

    monkeypatch.delenv(VARIABLE, raising=False)
    monkeypatch.setattr("bookdesk.platform.keyring_store.system_secret_store", InMemorySecretStore)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: abs_server.api_key)

    assert abs_command.add("Home NAS", abs_server.url, [], [], False) == 0

    said = capsys.readouterr().err
    assert "there is no keyring here" in said
    assert f"give it in {VARIABLE} for each run" in said


def test_a_library_the_server_does_not_have_is_refused_and_nothing_is_kept(
        abs_server, run_cli, monkeypatch):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Cy Cole/Cinder", "Cinder", "Cy Cole")])
    monkeypatch.setenv(VARIABLE, abs_server.api_key)

    added = run_cli("abs", "add", "Home NAS", abs_server.url, "--abs-library", "Nope")
    listed = run_cli("abs", "servers", "--json")

    assert added.returncode == 2
    assert "Audiobookshelf server Home NAS has no book library called 'Nope'; it has: " in added.stderr
    assert library_name in added.stderr
    assert json.loads(listed.stdout)["servers"] == []
