"""The table of commands (bookdesk/cli/commands.py): what ``bookdesk --help`` offers, what each
command's ``--help`` says, and that running one command loads no other command's module."""

from __future__ import annotations

import json

import pytest

from bookdesk.app import main
from bookdesk.cli.commands import COMMANDS
from tests.cli.test_command_start import modules_after


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_every_command_has_a_help_line_and_bookdesk_help_lists_them_all(capsys) -> None:
    listed = help_of([], capsys)

    names = [command.name for command in COMMANDS]
    assert len(set(names)) == len(names)
    for command in COMMANDS:
        assert command.help.strip(), f"{command.name} has no help line"
        # One line per command under "COMMAND": its name, then its help (argparse may wrap it).
        line = next((line for line in listed.splitlines() if line.split()[:1] == [command.name]), None)
        assert line is not None, f"bookdesk --help does not list {command.name}"
        assert " ".join(listed.split()).count(" ".join(command.help.split())) == 1


@pytest.mark.parametrize("name", [command.name for command in COMMANDS])
def test_each_command_says_its_own_arguments_in_its_help(name: str, capsys) -> None:
    text = help_of([name], capsys)

    assert text.startswith(f"usage: bookdesk {name} ")
    assert "--library LIBRARY" in text  # every command's, beside its own


def test_running_a_command_loads_no_other_command_module(tmp_path) -> None:
    from bookdesk.core.library_service import LibraryService

    LibraryService.open(tmp_path / "Library").close()
    # A fresh process: what this test process imported already says nothing.
    code, out, modules = modules_after(["list", "--library", str(tmp_path / "Library"), "--json"])

    assert code == 0 and json.loads(out) == {"books": []}
    loaded = {command.module for command in COMMANDS} & set(modules)
    assert loaded == {"bookdesk.cli.list_command"}
    assert not [m for m in modules if m.startswith(("bookdesk.ui", "PySide6", "httpx"))]
