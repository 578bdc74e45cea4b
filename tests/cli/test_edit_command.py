"""``bookdesk edit``: a script's way to edit books by hand, through the same service as the window's
dialogs; ``--json`` says what changed under which Ref, and ``bookdesk undo REF`` reverts all of it."""

from __future__ import annotations

import json

import pytest

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository


@pytest.fixture
def books(library_dir) -> list[int]:  # noqa: ANN001 - Path
    service = LibraryService.open(library_dir)
    try:
        with service.catalog.write() as session:
            repo = WorkRepository(session)
            return [repo.add(NewWork("Ash", [Contributor("A. Writer")], tags=["old"])),
                    repo.add(NewWork("Birch", [Contributor("A. Writer")], series=[SeriesRef("Trees", "4")]))]
    finally:
        service.close()


def listed(run_cli, library_dir) -> dict[int, dict]:  # noqa: ANN001
    done = run_cli("list", "--library", library_dir, "--json")
    assert done.returncode == 0, done.stderr
    return {book["id"]: book for book in json.loads(done.stdout)["books"]}


def test_edit_json_says_each_change_and_undo_of_its_ref_reverts_them(run_cli, library_dir, books) -> None:
    done = run_cli("edit", *books, "--library", library_dir, "--authors", "Terry Pratchett & Neil Gaiman",
                   "--series", "Good Omens", "--position", "1", "--add-tags", "fav,funny", "--remove-tags", "old",
                   "--read-state", "finished", "--json")

    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert set(document) == {"correlation_id", "changes"}
    ref = document["correlation_id"]
    assert {"work_id": books[0], "field": "authors", "old": ["A. Writer"],
            "new": ["Terry Pratchett", "Neil Gaiman"]} in document["changes"]
    assert {"work_id": books[1], "field": "series", "old": [{"name": "Trees", "label": "4"}],
            "new": [{"name": "Good Omens", "label": "2"}]} in document["changes"]
    after = listed(run_cli, library_dir)
    assert [after[b]["series"] for b in books] == [[{"name": "Good Omens", "position": "1"}],
                                                  [{"name": "Good Omens", "position": "2"}]]
    assert [after[b]["read_state"] for b in books] == ["finished", "finished"]
    assert after[books[0]]["authors"] == ["Terry Pratchett", "Neil Gaiman"]

    undone = run_cli("undo", ref, "--library", library_dir, "--json")

    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout)["changes_undone"] == len(document["changes"])
    after = listed(run_cli, library_dir)
    assert [after[b]["read_state"] for b in books] == ["unread", "unread"]
    assert after[books[0]]["authors"] == ["A. Writer"]
    assert after[books[1]]["series"] == [{"name": "Trees", "position": "4"}]


def test_edit_as_text_says_what_changed_and_how_to_undo_it(run_cli, library_dir, books) -> None:
    done = run_cli("edit", books[0], "--library", library_dir, "--title", "Ash Tree", "--rating", "8",
                   "--lock", "language")

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"  {books[0]}  title: 'Ash' -> 'Ash Tree'" in lines
    ref = lines[-1].split("bookdesk undo ")[1].split()[0]
    assert lines[-1].startswith("2 changes to 1 book") and ref.startswith("BD-")
    history = json.loads(run_cli("history", books[0], "--library", library_dir, "--json").stdout)
    assert {(c["field"], c["source"], c["correlation_id"]) for c in history["changes"]} == {
        ("title", "user", ref), ("rating", "user", ref)}


@pytest.mark.parametrize(("arguments", "words"), [
    (["--read-state", "half"], "invalid choice: 'half'"),
    (["--rating", "11"], "A rating goes from 0 to 10"),
    (["--lock", "colour"], "no field 'colour'"),
    (["--language", "english!!"], "a code such as en"),  # as the Edit Metadata dialog says
    ([], "Nothing to change"),
])
def test_an_edit_that_cannot_be_made_is_bad_usage_and_changes_nothing(run_cli, library_dir, books, arguments,
                                                                     words) -> None:
    done = run_cli("edit", *books, "--library", library_dir, *arguments, "--json")

    assert done.returncode == 2
    assert words in done.stderr
    assert [b["read_state"] for b in listed(run_cli, library_dir).values()] == ["unread", "unread"]


def test_a_book_that_is_not_there_fails_the_edit_with_a_ref_and_nothing_is_written(run_cli, library_dir,
                                                                                  books) -> None:
    done = run_cli("edit", books[0], 999, "--library", library_dir, "--read-state", "reading", "--json")

    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert "no book with id 999" in error["message"] and error["correlation_id"].startswith("BD-")
    assert listed(run_cli, library_dir)[books[0]]["read_state"] == "unread"


def test_several_books_at_one_position_that_is_no_number_is_bad_usage(run_cli, library_dir, books) -> None:
    done = run_cli("edit", *books, "--library", library_dir, "--series", "Trees", "--position", "Prequel")

    assert done.returncode == 2
    assert "a number to count from" in done.stderr

