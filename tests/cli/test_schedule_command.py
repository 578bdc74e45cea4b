"""``bookdesk schedule`` and ``bookdesk sync``: JSON shapes, text, exit codes, and what a sync leaves behind."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from bookdesk.app import main
from bookdesk.core.scheduler.catalog_backup import backup_folder, backups
from bookdesk.data.catalog import open_catalog
from bookdesk.data.job_repository import JobRepository
from bookdesk.data.schedule_repository import ScheduleRepository

KINDS = ["poll-clients", "rescan", "check-monitored", "search-wanted", "refresh-metadata", "abs-sync",
         "calibre-follow", "backup-catalog", "prune-jobs"]


@pytest.fixture
def library(library_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    open_catalog(library_dir).close()
    # The network probe asks the first metadata provider's host: here a port nobody listens on.
    monkeypatch.setenv("BOOKDESK_HARDCOVER_URL", "http://127.0.0.1:9/v1/graphql")
    return library_dir


class _opened:
    """``with _opened(folder) as catalog``: the library's catalog, closed after."""

    def __init__(self, folder: Path) -> None:
        self.catalog = open_catalog(folder)

    def __enter__(self):
        return self.catalog

    def __exit__(self, *exc) -> None:
        self.catalog.close()


def run_json(capsys, *args: str, code: int = 0) -> dict:
    assert main([*args, "--json"]) == code
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one document, one line, nothing else on stdout
    return json.loads(out)


def test_schedule_lists_every_job_with_its_interval_and_times(library, capsys):
    document = run_json(capsys, "schedule", "--library", str(library))
    assert set(document) == {"jobs"}
    assert [job["kind"] for job in document["jobs"]] == KINDS
    for job in document["jobs"]:
        assert {"kind", "enabled", "interval", "last_run", "next_run"} <= set(job)
        assert job["enabled"] is True and isinstance(job["interval"], int)
        assert job["last_run"] is None and job["next_run"] is None
    by_kind = {job["kind"]: job["interval"] for job in document["jobs"]}
    assert by_kind["poll-clients"] == 60 and by_kind["backup-catalog"] == 7 * 86400


def test_schedule_only_reads(library, capsys):
    run_json(capsys, "schedule", "--library", str(library))
    with _opened(library) as catalog, catalog.read() as session:
        assert ScheduleRepository(session).rows() == {}


def test_schedule_in_text_is_a_line_per_job(library, capsys):
    assert main(["schedule", "--library", str(library)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(KINDS)
    assert lines[1].startswith("rescan") and "every 1 h" in lines[1] and "last never" in lines[1]


def test_sync_runs_what_is_due_once_and_then_nothing_is_due(library, capsys):
    document = run_json(capsys, "sync", "--library", str(library))
    statuses = {job["kind"]: (job["status"], job["summary"]) for job in document["jobs"]}
    assert statuses == {
        "rescan": ("succeeded", "0 book files checked, all in place"),
        "check-monitored": ("skipped", "No series or author is monitored"),
        "search-wanted": ("skipped", "Searching for wanted books is not set up"),
        "refresh-metadata": ("offline", "Waiting for the network"),
        "abs-sync": ("skipped", "No Audiobookshelf server is set up"),
        "calibre-follow": ("skipped", "No calibre library has been brought over"),
        "backup-catalog": ("succeeded", statuses["backup-catalog"][1]),
        "prune-jobs": ("succeeded", "No job old enough to remove")}
    assert statuses["backup-catalog"][1].startswith("Catalog copied to .backup/.catalog/bookdesk-")
    assert len(backups(library)) == 1
    ran = [job for job in document["jobs"] if job["status"] == "succeeded"]
    for job in document["jobs"]:
        assert set(job) == {"kind", "status", "correlation_id", "summary"}
        assert (job["correlation_id"] is not None) == (job in ran)
    with _opened(library) as catalog, catalog.read() as session:
        jobs = {j.correlation_id: j for j in JobRepository(session).recent()}
    assert {jobs[job["correlation_id"]].kind for job in ran} == {"rescan", "backup-catalog", "prune-jobs"}
    assert all(jobs[job["correlation_id"]].state == "succeeded" for job in ran)

    again = run_json(capsys, "sync", "--library", str(library))
    assert again == {"jobs": [{"kind": "refresh-metadata", "status": "offline", "correlation_id": None,
                               "summary": "Waiting for the network"}]}  # it still waits; the rest is not due

    listed = {job["kind"]: job for job in run_json(capsys, "schedule", "--library", str(library))["jobs"]}
    rescan = listed["rescan"]
    last, upcoming = (datetime.fromisoformat(rescan[k].removesuffix("Z")) for k in ("last_run", "next_run"))
    assert rescan["last_run"].endswith("Z") and 3600 <= (upcoming - last).total_seconds() <= 3600 * 1.05
    assert listed["refresh-metadata"]["last_run"] is None  # never ran: it is still due


def test_a_failed_job_makes_sync_exit_1_and_the_others_still_run(library, capsys):
    backup_folder(library).parent.mkdir(parents=True)
    backup_folder(library).write_text("in the way")  # the backup cannot make its folder
    document = run_json(capsys, "sync", "--library", str(library), code=1)
    statuses = {job["kind"]: job for job in document["jobs"]}
    assert statuses["backup-catalog"]["status"] == "failed"
    assert statuses["backup-catalog"]["correlation_id"].startswith("BD-")
    assert statuses["prune-jobs"]["status"] == statuses["rescan"]["status"] == "succeeded"


def test_sync_in_text_names_each_job_with_its_reference(library, capsys):
    assert main(["sync", "--library", str(library)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert any(line.startswith("rescan") and "succeeded" in line and "(Ref BD-" in line for line in lines)
    assert "Rescan the library and the watch folder (BD-" in captured.err  # progress goes to stderr
    assert main(["sync", "--library", str(library)]) == 0
    assert "refresh-metadata" in capsys.readouterr().out


def test_sync_and_schedule_need_an_existing_library(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["sync", "--library", str(missing)]) == 1
    assert main(["schedule", "--library", str(missing)]) == 1
    assert "no BookDesk library" in capsys.readouterr().err
    assert not missing.exists()


def test_schedule_from_a_fresh_process(library, run_cli):
    done = run_cli("schedule", "--library", library, "--json")
    assert done.returncode == 0, done.stderr
    assert [job["kind"] for job in json.loads(done.stdout)["jobs"]] == KINDS
