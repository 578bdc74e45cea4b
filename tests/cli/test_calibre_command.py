"""``bookdesk calibre import`` as a person or a script runs it, on a library made by the real calibredb."""

from __future__ import annotations

import json

from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture  # noqa: F401 - fixtures
from tests.conftest import tree


def test_a_dry_run_shows_the_plan_and_changes_nothing_then_the_import_and_its_undo(run_cli, calibre_copy, tmp_path):
    folder, listed = calibre_copy
    library = tmp_path / "Books"
    before = tree(folder)
    preview = run_cli("calibre", "import", folder, "--library", library, "--dry-run", "--json")
    assert preview.returncode == 0, preview.stderr
    planned = json.loads(preview.stdout)
    assert [i["status"] for i in planned["items"]] == ["new"] * len(listed)
    assert planned["read_columns"] == ["read", "shelf"]  # yes/no and choice columns, not the others
    assert planned["items"][0]["formats"][0]["to"] == planned["items"][0]["formats"][0]["from"]  # in place
    assert not library.exists()  # a dry run writes nothing, not even an empty catalog

    done = run_cli("calibre", "import", folder, "--library", library, "--read-column", "read", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["added"] == len(listed) and report["mode"] == "in-place"
    books = json.loads(run_cli("list", "--library", library, "--json").stdout)["books"]
    assert sorted(b["title"] for b in books) == sorted(b["title"] for b in listed)
    assert sorted(b["read_state"] for b in books) == ["finished", "unread", "unread"]

    undone = run_cli("undo", report["correlation_id"], "--library", library, "--json")
    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout)["works_removed"] == len(listed)
    assert tree(folder) == before


def test_a_folder_that_is_not_a_calibre_library_is_said_plainly(run_cli, tmp_path):
    done = run_cli("calibre", "import", tmp_path, "--library", tmp_path / "Books")
    assert done.returncode == 1
    assert "is not a calibre library: it has no metadata.db" in done.stderr
    assert "Traceback" not in done.stderr
