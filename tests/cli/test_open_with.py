"""``bookdesk FILE...``: what a file manager's "Open with BookDesk" runs, beside every command.

The window itself is left out here (tests/ui/test_single_instance.py runs it for real): a
stand-in for ``run_gui`` records what it was asked to open.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from bookdesk.app import build_parser, command_names, main, split_open_paths

COMMANDS = command_names(build_parser())


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, list[Path]]]:
    """What ``main`` asked the GUI to open: (library, files) per call."""
    calls: list[tuple[Path, list[Path]]] = []
    gui = types.ModuleType("bookdesk.ui.application")
    gui.run_gui = lambda library, open_paths=(), **_options: calls.append((library, list(open_paths))) or 0
    monkeypatch.setitem(sys.modules, "bookdesk.ui.application", gui)
    return calls


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the launch runs in, with a book and an audiobook in it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dune.epub").write_bytes(b"epub")
    (tmp_path / "Audiobooks").mkdir()
    (tmp_path / "Audiobooks" / "Dune.m4b").write_bytes(b"m4b")
    return tmp_path


def test_every_command_is_known() -> None:
    assert {"smoke", "import", "list", "sync", "search-wanted"} <= COMMANDS


def test_opening_files_opens_the_window_with_them(opened, folder, user_folders) -> None:
    assert main(["Dune.epub", "Audiobooks"]) == 0
    assert opened == [(user_folders / "default-library", [folder / "Dune.epub", folder / "Audiobooks"])]


def test_the_default_library_is_used_unless_one_is_named(opened, folder, user_folders) -> None:
    main(["Dune.epub"])
    main(["--library", str(folder / "Lib"), "Dune.epub"])
    main([f"--library={folder / 'Lib2'}", "Dune.epub"])
    main(["Dune.epub", "--library", str(folder / "Lib3")])

    assert [library for library, _files in opened] == [
        user_folders / "default-library", folder / "Lib", folder / "Lib2", folder / "Lib3"]
    assert all(files == [folder / "Dune.epub"] for _library, files in opened)


def test_a_library_folder_named_like_a_command_is_still_the_library(opened, folder) -> None:
    main(["--library", "list", "Dune.epub"])
    assert opened == [(Path("list"), [folder / "Dune.epub"])]


def test_files_are_handed_on_as_absolute_paths(opened, folder) -> None:
    (folder / "sub").mkdir()
    main(["sub/../Dune.epub", str(folder / "Audiobooks" / "Dune.m4b")])
    assert opened[0][1] == [folder / "Dune.epub", folder / "Audiobooks" / "Dune.m4b"]


def test_no_files_opens_the_window_alone(opened, folder) -> None:
    assert main([]) == 0
    assert main(["--library", str(folder / "Lib")]) == 0
    assert [files for _library, files in opened] == [[], []]


def test_a_file_named_like_a_command_is_the_command_unless_written_as_a_path() -> None:
    assert split_open_paths(["list"], COMMANDS) is None
    assert split_open_paths(["--library", "x", "list", "--json"], COMMANDS) is None
    assert split_open_paths(["./list"], COMMANDS) == ([], ["./list"])
    assert split_open_paths(["--", "list"], COMMANDS) == ([], ["list"])


def test_a_file_called_list_does_not_hide_the_list_command(opened, folder, capsys) -> None:
    (folder / "list").write_bytes(b"a book with an odd name")

    assert main(["list", "--library", str(folder / "nowhere")]) == 1  # the command: there is no library
    assert "There is no BookDesk library" in capsys.readouterr().err
    assert main(["./list"]) == 0
    assert opened == [(opened[0][0], [folder / "list"])]


def test_options_before_any_file_stay_the_parsers() -> None:
    assert split_open_paths(["--version"], COMMANDS) is None
    assert split_open_paths(["-h", "Dune.epub"], COMMANDS) is None
    assert split_open_paths(["--library", "L"], COMMANDS) is None
    assert split_open_paths(["Dune.epub", "--bogus"], COMMANDS) == (["--bogus"], ["Dune.epub"])


def test_the_version_is_still_the_version(opened, folder, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith("BookDesk ")
    assert opened == []


@pytest.mark.parametrize(("argv", "message"), [
    (["frobnicate"], "invalid choice: 'frobnicate'"),  # a mistyped command stays one
    (["Missing.epub"], "no such file or folder: Missing.epub"),
    (["Dune.epub", "Gone/Book.epub"], "no such file or folder: Gone/Book.epub"),
    (["Dune.epub", "--bogus"], "unrecognized arguments: --bogus"),
])
def test_bad_command_lines_exit_2_with_the_usage(argv, message, opened, folder, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "usage: bookdesk" in err and message in err
    assert opened == []


def test_python_dash_m_bookdesk_is_the_same_program(run_cli) -> None:
    done = run_cli("--help")
    assert done.returncode == 0
    assert "FILE..." in done.stdout and "usage: bookdesk" in done.stdout
