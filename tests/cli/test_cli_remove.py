"""``bookdesk remove WORK_ID... [--keep-files] [--json]``: books out of the library, files to the trash,
and ``bookdesk undo REF`` puts them back."""

from __future__ import annotations

import json
import os
from pathlib import Path


def _library_with_books(run_cli, make_book, library_dir, tmp_path) -> dict[str, dict]:
    books = [make_book(t, author="Ann Archer", folder=tmp_path / "incoming") for t in ("Ash", "Bone")]
    assert run_cli("import", *books, "--library", library_dir).returncode == 0
    listed = json.loads(run_cli("list", "--library", library_dir, "--json").stdout)["books"]
    return {b["title"]: b for b in listed}


def _files(library_dir: Path) -> list[str]:
    return sorted(p.name for p in library_dir.rglob("*.epub"))


def test_remove_sends_the_files_to_the_trash_and_undo_brings_them_back(run_cli, make_book, library_dir, tmp_path):
    books = _library_with_books(run_cli, make_book, library_dir, tmp_path)
    before = _files(library_dir)

    done = run_cli("remove", books["Ash"]["id"], "--library", library_dir, "--json")

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["removed"] == [books["Ash"]["id"]] and result["files_kept"] == [] and result["failures"] == []
    [trashed] = result["files_trashed"]
    trash = Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files"
    assert (trash / Path(trashed).name).is_file() and not (library_dir / trashed).exists()
    listed = json.loads(run_cli("list", "--library", library_dir, "--json").stdout)["books"]
    assert [b["title"] for b in listed] == ["Bone"]

    undone = run_cli("undo", result["correlation_id"], "--library", library_dir, "--json")

    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout)["works_restored"] == 1
    assert _files(library_dir) == before
    listed = json.loads(run_cli("list", "--library", library_dir, "--json").stdout)["books"]
    assert sorted(b["title"] for b in listed) == ["Ash", "Bone"]


def test_keep_files_leaves_them_on_disk_and_says_so(run_cli, make_book, library_dir, tmp_path):
    books = _library_with_books(run_cli, make_book, library_dir, tmp_path)

    done = run_cli("remove", books["Ash"]["id"], books["Bone"]["id"], "--keep-files", "--library", library_dir)

    assert done.returncode == 0, done.stderr
    assert "removed 2 books, 2 files left on disk" in done.stdout and "bookdesk undo BD-" in done.stdout
    assert len(_files(library_dir)) == 2


def test_a_book_that_cannot_be_removed_fails_alone_with_its_ref(run_cli, make_book, library_dir, tmp_path):
    books = _library_with_books(run_cli, make_book, library_dir, tmp_path)

    done = run_cli("remove", books["Ash"]["id"], 999, "--library", library_dir, "--json")

    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["removed"] == [books["Ash"]["id"]]
    assert result["failures"] == [{"work_id": 999, "title": "", "reason": "There is no book with id 999 in this "
                                                                        "library."}]
    assert f"(Ref {result['correlation_id']})" in done.stderr


def test_remove_without_a_book_is_bad_usage(run_cli, library_dir):
    assert run_cli("remove", "--library", library_dir).returncode == 2


def test_removing_only_books_that_are_not_there_offers_no_undo(run_cli, make_book, library_dir, tmp_path):
    _library_with_books(run_cli, make_book, library_dir, tmp_path)

    done = run_cli("remove", 999, "--library", library_dir)

    assert done.returncode == 1
    assert "bookdesk undo" not in done.stdout and "Removed nothing" in done.stdout
    assert "There is no book with id 999 in this library." in done.stderr


def test_a_removal_that_removed_nothing_says_why_in_activity(run_cli, make_book, library_dir, tmp_path):
    from bookdesk.data.catalog import open_catalog
    from bookdesk.data.job_repository import JobRepository

    _library_with_books(run_cli, make_book, library_dir, tmp_path)

    assert run_cli("remove", 999, "--library", library_dir).returncode == 1

    catalog = open_catalog(Path(library_dir))
    try:
        with catalog.read() as session:
            [job] = [j for j in JobRepository(session).recent() if j.kind == "remove"]
    finally:
        catalog.close()
    assert job.summary.startswith("nothing removed") and "There is no book with id 999" in job.summary
