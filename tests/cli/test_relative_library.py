"""Every command takes ``--library`` as a path relative to the folder it is run from.

The bug this guards: ``bookdesk gaps``, ``wanted`` and ``authors`` failed with "relative path can't
be expressed as a file URI" when the library was given as ``--library Library``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from bookdesk.app import build_parser, command_names, main
from bookdesk.core.settings import Settings, save_settings
from bookdesk.serve.server import listening_socket

# Commands that need no library (opds), or a window (smoke, tested under tests/ui).
_NOT_HERE = {"opds", "smoke"}
# What each command is asked, and the exit code it gives when it worked on the library.
_COMMANDS: dict[str, tuple[list[str], int]] = {
    "import": (["import", "incoming/Second Light.epub"], 0),
    "list": (["list"], 0),
    "identify": (["identify", "999"], 1),  # a wrong id, said after the library was opened and read
    "history": (["history", "1"], 0),
    "edit": (["edit", "1", "--read-state", "finished"], 0),
    "remove": (["remove", "1", "--keep-files"], 0),
    "undo": (["undo", "BD-7K3Q9"], 1),  # a job this library never ran: nothing to undo
    "gaps": (["gaps"], 0),
    "wanted": (["wanted"], 0),
    "authors": (["authors"], 0),
    "fetch": (["fetch"], 0),
    "downloads": (["downloads"], 0),
    "search-wanted": (["search-wanted", "--dry-run"], 0),
    "schedule": (["schedule"], 0),
    "sync": (["sync"], 0),
    "abs": (["abs", "pull", "Nowhere"], 1),  # no key for it: said after the library was opened
    "calibre": (["calibre", "import", "incoming"], 1),  # not a calibre library: said after the library was opened
    "keys": (["keys", "add", "phone"], 0),
}
# Commands that run until stopped, each tried below in a process of its own.
_RUN_APART = {"serve"}


@pytest.fixture
def relative_library(tmp_path, make_book, monkeypatch, capsys) -> str:
    """A library at ``Library`` under the folder the commands run from, holding one book of a series."""
    monkeypatch.chdir(tmp_path)
    # Network checks go to a port nobody listens on, so nothing leaves the machine.
    monkeypatch.setenv("BOOKDESK_HARDCOVER_URL", "http://127.0.0.1:9/v1/graphql")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")  # never the real keyring
    save_settings(Settings(indexers=[{"name": "Nowhere", "url": "http://127.0.0.1:9/api"}],
                           audiobookshelf_servers=[{"name": "Nowhere", "url": "http://127.0.0.1:9", "enabled": False}]))
    make_book("First Light", author="Ann Author", folder=tmp_path / "incoming")
    make_book("Second Light", author="Ann Author", folder=tmp_path / "incoming")
    assert main(["import", "incoming/First Light.epub", "--library", "Library", "--json"]) == 0
    capsys.readouterr()
    return "Library"


def test_every_command_with_a_library_is_tried_here():
    assert command_names(build_parser()) - _NOT_HERE == set(_COMMANDS) | _RUN_APART


def test_serve_serves_a_relative_library_until_stopped(relative_library, tmp_path):
    sock = listening_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()
    child = subprocess.Popen([sys.executable, "-m", "bookdesk", "serve", "--library", relative_library,
                              "--port", str(port)], cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        feed = _first_answer(child, f"http://127.0.0.1:{port}/opds/recent")
        assert feed.status_code == 200 and "First Light" in feed.text
    finally:
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert "file URI" not in err and "Stopped." in err
    assert sorted(p.name for p in tmp_path.iterdir() if (p / "bookdesk.sqlite3").exists()) == ["Library"]


def _first_answer(child: subprocess.Popen, url: str) -> httpx.Response:
    """``url``'s answer once the server listens; fails if the process ends first or never listens."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert child.poll() is None, child.stderr.read()
        try:
            return httpx.get(url)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("bookdesk serve did not answer")


@pytest.mark.parametrize("command", sorted(_COMMANDS))
def test_a_relative_library_path_works_for_every_command(relative_library, command, tmp_path, capsys):
    argv, code = _COMMANDS[command]

    assert main([*argv, "--library", relative_library, "--json"]) == code

    captured = capsys.readouterr()
    assert "file URI" not in captured.err and "unexpected error" not in captured.err
    if command == "identify":
        assert "no book with id 999" in captured.err
    elif command == "undo":
        assert "made no change that can be undone" in captured.err
    else:
        assert isinstance(json.loads(captured.out), dict)
    # The library the command used is the one under the working folder, not a new one elsewhere.
    assert sorted(p.name for p in tmp_path.iterdir() if (p / "bookdesk.sqlite3").exists()) == ["Library"]


def test_gaps_wanted_and_authors_read_a_relative_library(relative_library, capsys):
    assert main(["authors", "--library", relative_library, "--json"]) == 0
    [person] = json.loads(capsys.readouterr().out)["authors"]
    assert person["name"] == "Ann Author" and person["owned"]["any"] == 1

    assert main(["list", "--library", relative_library, "--json"]) == 0
    assert [b["title"] for b in json.loads(capsys.readouterr().out)["books"]] == ["First Light"]
