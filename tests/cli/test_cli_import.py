"""``bookdesk import``: what scripts rely on: one JSON document, exit codes, references in the log."""

from __future__ import annotations

import json

from bookdesk import correlation
from bookdesk.app import main

IMPORT_KEYS = {"correlation_id", "added", "duplicates", "failed", "items", "seconds"}


def test_importing_a_folder_prints_one_json_document_and_exits_0(run_cli, corpus, manifest, library_dir):
    done = run_cli("import", corpus, "--library", library_dir, "--json")

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # nothing but the document on stdout
    assert set(report) == IMPORT_KEYS
    assert correlation.is_valid(report["correlation_id"])
    assert (report["added"], report["duplicates"], report["failed"]) == (len(manifest), 0, [])
    assert {i["path"] for i in report["items"]} == {str(corpus / t["file"]) for t in manifest}
    for item in report["items"]:
        assert set(item) == {"path", "status", "work_id"}
        assert item["status"] == "added" and isinstance(item["work_id"], int)
    assert isinstance(report["seconds"], float) and report["seconds"] >= 0


def test_a_batch_with_a_damaged_file_reports_it_and_exits_1(run_cli, corpus, manifest, library_dir):
    (corpus / "damaged.epub").write_bytes(b"PK\x03\x04 this zip ends here")

    done = run_cli("import", corpus, "--library", library_dir, "--json")

    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["added"] == len(manifest)
    [failed] = report["failed"]
    assert set(failed) == {"path", "error", "correlation_id"}
    assert failed["path"] == str(corpus / "damaged.epub")
    assert "damaged.epub" in failed["error"]
    assert failed["correlation_id"] == report["correlation_id"]
    statuses = {i["path"]: (i["status"], i["work_id"]) for i in report["items"]}
    assert statuses[str(corpus / "damaged.epub")] == ("failed", None)


def test_importing_again_finds_only_duplicates_and_the_log_holds_each_jobs_lines(
        run_cli, corpus, manifest, library_dir, user_folders):
    first = json.loads(run_cli("import", corpus, "--library", library_dir, "--json").stdout)
    again = run_cli("import", corpus, "--library", library_dir, "--json")

    assert again.returncode == 0
    second = json.loads(again.stdout)
    assert (second["added"], second["duplicates"]) == (0, len(manifest))
    assert {i["work_id"] for i in second["items"]} == {i["work_id"] for i in first["items"]}
    assert second["correlation_id"] != first["correlation_id"]
    lines = [json.loads(line) for line in (user_folders / "logs" / "bookdesk.jsonl").read_text().splitlines()]
    jobs = {line["correlation_id"] for line in lines if line["message"] == "job succeeded"}
    assert jobs == {first["correlation_id"], second["correlation_id"]}


def test_without_json_a_person_reads_a_summary_with_the_reference(run_cli, corpus, manifest, library_dir):
    (corpus / "damaged.epub").write_bytes(b"nope")
    done = run_cli("import", corpus, "--library", library_dir)

    assert done.returncode == 1
    summary, *failures = done.stdout.splitlines()
    assert summary.startswith(f"{len(manifest)} added, 1 failed in ") and "(Ref BD-" in summary
    [failure] = failures
    assert failure.startswith(f"  failed: {corpus / 'damaged.epub'}: damaged.epub ")


def test_moving_books_in_from_the_command_line_empties_the_folder(corpus, manifest, library_dir, capsys):
    code = main(["import", str(corpus), "--library", str(library_dir), "--mode", "move", "--json"])

    assert code == 0
    assert json.loads(capsys.readouterr().out)["added"] == len(manifest)
    assert not list(corpus.rglob("*.epub"))
