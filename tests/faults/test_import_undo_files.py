"""Imports, undo and the files on disk, driven through a real ``bookdesk`` process: a relative path
typed in one folder and undone from another, a destination folder on a read-only disk, a move
across disks, and a kill while a copy (of an import, or of a write-back) is on its way into the
library."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bookdesk.core.importer.placement import STAGING
from bookdesk.core.settings import Settings, save_settings
from bookdesk.core.temp_names import WRITEBACK_TEMP as TEMP_NAME
from tests.conftest import simple_metadata, tree, write_epub
from tests.fakes.provider_world import Catalogue, ProviderWorld
from tests.faults.conftest import KILLED

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def book(folder: Path, title: str, author: str = "Test Author") -> Path:
    return write_epub(folder / f"{title}.epub", simple_metadata(title, author))


def listed(bookdesk_process, library: Path) -> list[str]:
    done = bookdesk_process("list", "--library", library, "--json")
    assert done.returncode == 0, done.stderr
    return sorted(b["title"] for b in json.loads(done.stdout)["books"])


def test_a_move_typed_relative_in_one_folder_is_undone_from_another(bookdesk_process, tmp_path):
    work, elsewhere, library = tmp_path / "work", tmp_path / "elsewhere", tmp_path / "Library"
    original = book(work / "books", "Typed Relative")
    data = original.read_bytes()
    elsewhere.mkdir()

    done = bookdesk_process("import", "books", "--library", library, "--mode", "move", "--json", cwd=work)
    assert done.returncode == 0, done.stderr
    assert not original.exists()
    undone = bookdesk_process("undo", json.loads(done.stdout)["correlation_id"], "--library", library,
                              "--json", cwd=elsewhere)

    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout)["files_restored"] == 1
    assert original.read_bytes() == data
    assert not list(elsewhere.rglob("*"))
    # Imported again from the other folder, the book is new again, not "unchanged since".
    again = bookdesk_process("import", "../work/books", "--library", library, "--json", cwd=elsewhere)
    assert json.loads(again.stdout)["added"] == 1


def test_a_destination_on_a_read_only_disk_fails_that_book_and_the_report_is_true(bookdesk_process, small_disk,
                                                                                   tmp_path):
    incoming, library = tmp_path / "incoming", tmp_path / "Library"
    for title, author in (("First", "Ann Able"), ("Second", "Bo Blocked"), ("Third", "Cy Clear")):
        book(incoming, title, author)
    blocked = small_disk(64, at=library / "Blocked, Bo")
    subprocess.run(["mount", "-o", "remount,ro", str(blocked)], check=True)

    done = bookdesk_process("import", incoming, "--library", library, "--json")

    report = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert report["added"] == 2
    assert [Path(f["path"]).name for f in report["failed"]] == ["Second.epub"]
    assert "read-only" in report["failed"][0]["error"]
    assert listed(bookdesk_process, library) == ["First", "Third"]


def moved_in_from_another_disk(bookdesk_process, small_disk, tmp_path: Path, title: str):  # noqa: ANN001, ANN201
    """A book imported in move mode from a small disk of its own: (that disk, where the book was, its
    bytes, the library, the finished import)."""
    other_disk = small_disk(1024)
    original = book(other_disk, title)
    data = original.read_bytes()
    library = tmp_path / "Library"
    done = bookdesk_process("import", original, "--library", library, "--mode", "move", "--json")
    assert done.returncode == 0, done.stderr
    return other_disk, original, data, library, done


def test_a_move_across_disks_copies_then_deletes_and_leaves_nothing_half_written(bookdesk_process, small_disk,
                                                                                tmp_path):
    other_disk, original, data, library, done = moved_in_from_another_disk(
        bookdesk_process, small_disk, tmp_path, "Across Disks")
    assert not original.exists()
    [placed] = [p for p in library.rglob("*.epub")]
    assert placed.read_bytes() == data
    assert not list((library / STAGING).glob("*"))

    undone = bookdesk_process("undo", json.loads(done.stdout)["correlation_id"], "--library", library)

    assert undone.returncode == 0, undone.stderr
    assert original.read_bytes() == data and not placed.exists()
    assert sorted(p.name for p in other_disk.iterdir()) == [original.name]  # nothing half-written beside it


def test_an_undo_killed_while_it_copies_a_book_back_leaves_no_temporary_file_after_the_next_open(
        bookdesk_process, small_disk, tmp_path):
    """Undo's temporary copy is made outside the library, where the book came from: the next open
    finds it there by the folder undo noted, without looking through anything else."""
    other_disk, _, data, library, done = moved_in_from_another_disk(
        bookdesk_process, small_disk, tmp_path, "Killed Going Back")

    killed = bookdesk_process("undo", json.loads(done.stdout)["correlation_id"], "--library", library,
                              kill_at="undo.after_temp_copy")
    assert killed.returncode == KILLED, killed.stderr
    assert [p.name for p in other_disk.iterdir() if p.name.endswith(".restoring")], "the kill should leave it"

    opened = bookdesk_process("fetch", "--library", library, "--json")  # opens the library, has nothing to do

    assert opened.returncode == 0, opened.stderr
    assert sorted(p.name for p in other_disk.iterdir()) == []  # the book is still in the library
    [placed] = library.rglob("*.epub")
    assert placed.read_bytes() == data


def test_a_copy_killed_on_its_way_in_leaves_no_temporary_file_after_the_next_open(bookdesk_process, tmp_path):
    incoming, library = tmp_path / "incoming", tmp_path / "Library"
    original = book(incoming, "Killed Midway")
    data = original.read_bytes()

    done = bookdesk_process("import", incoming, "--library", library, kill_at="import.after_temp_copy")
    assert done.returncode == KILLED, done.stderr
    assert list((library / STAGING).glob("*.part")), "the kill should leave the copy's temporary file behind"

    opened = bookdesk_process("fetch", "--library", library, "--json")  # opens the library, has nothing to do

    assert opened.returncode == 0, opened.stderr
    assert not list((library / STAGING).glob("*.part"))
    assert original.read_bytes() == data
    assert not list(library.rglob("*.epub"))


# A book Open Library knows better than its file does (the file names no ISBN): identify changes it.
KNOWN = {"title": "The Lantern of Harbor 301", "author": "Mira Sondergaard", "series": None, "index": None,
         "isbn": "9780301000018", "asin": None}


@pytest.fixture
def metadata_world():  # noqa: ANN201
    started = ProviderWorld(Catalogue.from_truth([KNOWN], seed=3, coverage={"openlibrary": 1.0})).start()
    yield started
    started.stop()


def test_a_write_back_killed_after_its_temporary_copy_leaves_nothing_after_the_next_open(
        metadata_world, bookdesk_process, tmp_path):  # noqa: ANN001
    library = tmp_path / "Library"
    book(tmp_path / "incoming", KNOWN["title"], KNOWN["author"])
    assert bookdesk_process("import", tmp_path / "incoming", "--library", library).returncode == 0
    save_settings(Settings(provider_order=["openlibrary"],
                           providers_enabled={"openlibrary": True, "googlebooks": False, "hardcover": False,
                                              "audnexus": False},
                           provider_urls=metadata_world.provider_urls(), write_back_to_files=True))
    [placed] = library.rglob("*.epub")
    before = placed.read_bytes()

    done = bookdesk_process("identify", "--all", "--library", library, env=NO_KEYRING,
                            kill_at="writeback.temp_written")
    assert done.returncode == KILLED, (done.stdout, done.stderr)
    assert [p for p in placed.parent.iterdir() if TEMP_NAME.match(p.name)], "the kill should leave the temp file"

    opened = bookdesk_process("fetch", "--library", library, "--json", env=NO_KEYRING)

    assert opened.returncode == 0, opened.stderr
    assert not [p for p in tree(library) if TEMP_NAME.match(Path(p).name) or p.endswith(".part")]
    assert placed.read_bytes() == before
