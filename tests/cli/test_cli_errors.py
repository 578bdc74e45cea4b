"""What the command line says when it cannot do what was asked: exit codes and clear messages."""

from __future__ import annotations

import json

import pytest

from bookdesk import __version__
from bookdesk.app import main


def test_version_prints_the_name_and_version(run_cli):
    done = run_cli("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"BookDesk {__version__}")


@pytest.mark.parametrize("argv", [
    ["import"],  # no path
    ["import", "x.epub", "--mode", "teleport"],
    ["list", "--sort", "title"],
    ["frobnicate"],
])
def test_bad_usage_exits_2_with_the_usage(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "usage: bookdesk" in capsys.readouterr().err


def test_bad_usage_in_a_real_process_exits_2(run_cli):
    done = run_cli("import")
    assert done.returncode == 2 and "usage:" in done.stderr and done.stdout == ""


@pytest.mark.parametrize("command", [["list", "--json"], ["import", "nothing.epub", "--json"]])
def test_a_damaged_catalog_gives_a_clear_message_and_exit_1(run_cli, library_dir, command):
    library_dir.mkdir()
    catalog = library_dir / "bookdesk.sqlite3"
    catalog.write_bytes(b"\x00garbage\x00" * 100)

    done = run_cli(*command, "--library", library_dir)

    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]  # with --json the reason is the one document on stdout
    assert error["message"].startswith(f"{catalog} is not a BookDesk catalog")
    assert done.stderr.startswith(f"bookdesk: {catalog} is not a BookDesk catalog")
    assert done.stderr.rstrip().endswith(f"(Ref {error['correlation_id']})")
    assert "Traceback" not in done.stderr
    assert catalog.read_bytes() == b"\x00garbage\x00" * 100


def test_importing_into_a_library_open_elsewhere_says_so_and_listing_still_works(
        run_cli, library_dir, make_book, held_by_another_process):
    book = make_book("Waiting Patiently")
    with held_by_another_process(library_dir) as holder:
        refused = run_cli("import", book, "--library", library_dir, "--json")
        listed = run_cli("list", "--library", library_dir, "--json")

    assert refused.returncode == 1
    assert f"already open in another BookDesk (process {holder.pid})" in json.loads(refused.stdout)["error"]["message"]
    assert f"already open in another BookDesk (process {holder.pid})" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert book.exists()
    assert (listed.returncode, listed.stdout.strip()) == (0, '{"books": []}')


def test_a_library_path_that_cannot_be_a_folder_gives_a_clear_message(run_cli, tmp_path, make_book):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    done = run_cli("import", make_book("Nowhere To Go"), "--library", blocker / "lib")
    assert done.returncode == 1
    assert done.stderr.startswith("bookdesk: BookDesk cannot create the library folder")
