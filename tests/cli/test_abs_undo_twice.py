"""``bookdesk undo`` of a push undone already says so, rather than "Undid REF: 0 fields set back"."""

from __future__ import annotations

import json

from tests.cli.test_abs_push_command import _pulled_then_retitled
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture


def test_undoing_a_push_a_second_time_says_it_was_undone_already(
        abs_server, run_cli, library_dir, monkeypatch):  # noqa: F811
    _pulled_then_retitled(abs_server, run_cli, library_dir, monkeypatch, Book("Hal Hunt/Hush", "Hush", "Hal Hunt"),
                          "Hush Now")
    pushed = run_cli("abs", "push", "--library", library_dir, "--json")
    ref = json.loads(pushed.stdout)["correlation_id"]
    first = run_cli("undo", ref, "--library", library_dir)

    again = run_cli("undo", ref, "--library", library_dir)

    assert first.returncode == 0, first.stderr
    assert again.returncode != 0
    assert "undone already" in again.stderr
    assert "0 fields set back" not in again.stdout + again.stderr
