"""``bookdesk edit`` is a job as the window's edits are: its Ref is in Activity (as ``bookdesk remove``'s
is), and with "write corrected metadata into the book files" on, the files say what the catalog says."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from bookdesk.core.importer.readers.epub import read_epub
from bookdesk.core.library_service import LibraryService
from bookdesk.core.settings import load_settings, save_settings


def imported(library_dir: Path, corpus: Path, import_books) -> tuple[int, Path]:  # noqa: ANN001
    service = LibraryService.open(library_dir)
    try:
        result, _ = import_books(service.catalog, sorted(corpus.glob("*.epub"))[:1])
        assert result.state == "succeeded", result.error
        work_id = service.work_ids()[0]
        return work_id, service.absolute(service.detail(work_id).files[0].path)
    finally:
        service.close()


def test_an_edit_is_a_job_in_activity_and_with_write_back_on_the_file_says_the_new_title(
        run_cli, library_dir, corpus, import_books) -> None:
    save_settings(replace(load_settings(), write_back_to_files=True))
    work_id, epub = imported(library_dir, corpus, import_books)

    done = run_cli("edit", work_id, "--library", library_dir, "--title", "Written Back Title", "--json")

    assert done.returncode == 0, done.stderr
    ref = json.loads(done.stdout)["correlation_id"]
    service = LibraryService.open(library_dir, exclusive=False)
    try:
        job = service.job(ref)
        assert job is not None and job.kind == "edit" and job.state == "succeeded"
        assert "1 change to 1 book" in (job.summary or "")
        assert any(j.kind == "write-back" and j.state == "succeeded" for j in service.jobs())
    finally:
        service.close()
    assert read_epub(epub).title == "Written Back Title"


def test_with_write_back_off_the_file_is_left_as_it_was(run_cli, library_dir, corpus, import_books) -> None:
    work_id, epub = imported(library_dir, corpus, import_books)
    before = epub.read_bytes()

    done = run_cli("edit", work_id, "--library", library_dir, "--title", "Catalog Only")

    assert done.returncode == 0, done.stderr
    assert epub.read_bytes() == before
