"""``bookdesk import --dry-run`` shows the plan and changes nothing; ``bookdesk undo`` reverts a job."""

from __future__ import annotations

import json


def test_a_dry_run_lists_where_each_book_would_go_and_writes_no_book(run_cli, corpus, manifest, library_dir):
    done = run_cli("import", corpus, "--library", library_dir, "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert {i["status"] for i in plan["items"]} == {"new"}
    assert {i["title"] for i in plan["items"]} == {t["title"] for t in manifest}
    for item in plan["items"]:
        assert item["destination"].endswith(".epub") and not item["destination"].startswith(("/", ".."))
    assert not list(library_dir.rglob("*.epub"))
    listed = json.loads(run_cli("list", "--library", library_dir, "--json").stdout)
    assert listed == {"books": []}


def test_undo_reverts_an_import_and_says_what_it_did(run_cli, corpus, manifest, library_dir):
    imported = json.loads(run_cli("import", corpus, "--library", library_dir, "--json").stdout)
    done = run_cli("undo", imported["correlation_id"].lower(), "--library", library_dir, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"correlation_id": imported["correlation_id"], "changes_undone": 0,
                                       "calibre_links_undone": 0, "works_removed": len(manifest), "files_removed": len(manifest),
                                       "files_restored": 0, "files_kept": 0, "works_restored": 0,
                                       "files_back_from_trash": [], "problems": []}
    assert json.loads(run_cli("list", "--library", library_dir, "--json").stdout) == {"books": []}
    again = run_cli("undo", imported["correlation_id"], "--library", library_dir)
    assert again.returncode == 1 and "no change that can be undone" in again.stderr


def test_undo_of_something_that_is_not_a_reference_is_bad_usage(run_cli, library_dir, corpus):
    run_cli("import", corpus, "--library", library_dir)
    done = run_cli("undo", "last-tuesday", "--library", library_dir)
    assert done.returncode == 2 and "look like BD-" in done.stderr
