"""``bookdesk abs add NAME URL --user NAME`` against a real Audiobookshelf server: the password, typed or
given for one run, is exchanged for the server's tokens; only those are kept, and the password is written
nowhere."""

from __future__ import annotations

import json

from bookdesk.core.audiobookshelf.login import AbsTokens
from bookdesk.core.library_service import LibraryService
from bookdesk.core.secrets import InMemorySecretStore
from tests.servers.audiobookshelf import ROOT_PASSWORD, ROOT_USER, Book, abs_server  # noqa: F401 - the fixture

VARIABLE = "BOOKDESK_AUDIOBOOKSHELF_HOME"


def _files_text(folder) -> str:  # noqa: ANN001
    return "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def test_a_typed_password_is_exchanged_and_only_the_tokens_are_kept(
        abs_server, monkeypatch, capsys, user_folders):  # noqa: F811
    from bookdesk.cli import abs_command

    store = InMemorySecretStore()
    monkeypatch.delenv(VARIABLE, raising=False)
    monkeypatch.setattr("bookdesk.platform.keyring_store.system_secret_store", lambda: store)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or ROOT_PASSWORD)

    assert abs_command.add("Home", abs_server.url, [], [], True, user=ROOT_USER) == 0

    assert asked == [f"Password of {ROOT_USER} on Home: "]
    kept = store.get("audiobookshelf:Home")
    assert AbsTokens.read(kept) is not None and ROOT_PASSWORD not in kept
    answer = json.loads(capsys.readouterr().out)
    assert answer["server"]["username"] == ROOT_USER and answer["version"] == "2.36.0"
    assert ROOT_PASSWORD not in _files_text(user_folders)


def test_a_password_given_for_one_run_logs_in_each_run_and_is_written_nowhere(
        abs_server, run_cli, library_dir, user_folders, monkeypatch):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Ann Archer/Ash", "Ash", "Ann Archer")])
    monkeypatch.setenv(VARIABLE, ROOT_PASSWORD)
    LibraryService.open(library_dir).close()

    added = run_cli("abs", "add", "Home", abs_server.url, "--user", ROOT_USER, "--abs-library", library_name)
    pulled = run_cli("abs", "pull", "Home", "--library", library_dir, "--json")

    assert added.returncode == 0, added.stderr
    assert pulled.returncode == 0, pulled.stderr
    assert json.loads(pulled.stdout)["new"] == 1
    for run in (added, pulled):
        assert ROOT_PASSWORD not in run.stdout + run.stderr
    assert ROOT_PASSWORD not in _files_text(user_folders) + _files_text(library_dir)


def test_a_wrong_password_is_said_naming_the_user_and_the_server(abs_server, run_cli, monkeypatch):  # noqa: F811
    monkeypatch.setenv(VARIABLE, "not the password")

    added = run_cli("abs", "add", "Home", abs_server.url, "--user", ROOT_USER)

    assert added.returncode == 1
    assert f"Audiobookshelf server Home refused the user name {ROOT_USER!r} or its password" in added.stderr


def test_with_no_keyring_a_password_given_for_one_run_is_said_to_be_needed_each_run(
        abs_server, run_cli, monkeypatch):  # noqa: F811
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setenv(VARIABLE, ROOT_PASSWORD)

    added = run_cli("abs", "add", "Home", abs_server.url, "--user", ROOT_USER)

    assert added.returncode == 0, added.stderr  # as keys add: kept in the settings, and said how to use it
    assert "no keyring" in added.stderr and f"give it in {VARIABLE} for each run" in added.stderr
    assert ROOT_PASSWORD not in added.stdout + added.stderr
