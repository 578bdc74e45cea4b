"""``bookdesk undo`` is a job in Activity as the window's Undo is, and with "write corrected metadata into
the book files" on, the files of the books set back say the old values again (as Ctrl+Z does)."""

from __future__ import annotations

import json
from dataclasses import replace

from bookdesk.core.importer.readers.epub import read_epub
from bookdesk.core.library_service import LibraryService
from bookdesk.core.settings import load_settings, save_settings
from tests.cli.test_edit_command_job import imported


def test_undo_of_an_edit_writes_the_old_title_back_into_the_file_and_is_in_activity(
        run_cli, library_dir, corpus, import_books) -> None:
    save_settings(replace(load_settings(), write_back_to_files=True))
    work_id, epub = imported(library_dir, corpus, import_books)
    before = read_epub(epub).title
    edited = run_cli("edit", work_id, "--library", library_dir, "--title", "WB Title", "--json")
    assert edited.returncode == 0, edited.stderr
    assert read_epub(epub).title == "WB Title"
    ref = json.loads(edited.stdout)["correlation_id"]

    undone = run_cli("undo", ref, "--library", library_dir)

    assert undone.returncode == 0, undone.stderr
    assert read_epub(epub).title == before
    service = LibraryService.open(library_dir, exclusive=False)
    try:
        jobs = service.jobs()
        undo = [j for j in jobs if j.kind == "undo"]
        assert undo and undo[0].state == "succeeded" and ref in undo[0].title
        assert sum(1 for j in jobs if j.kind == "write-back" and j.state == "succeeded") == 2
    finally:
        service.close()


def test_undo_with_write_back_off_leaves_the_file_alone(run_cli, library_dir, corpus, import_books) -> None:
    work_id, epub = imported(library_dir, corpus, import_books)
    edited = run_cli("edit", work_id, "--library", library_dir, "--title", "Catalog Only", "--json")
    before = epub.read_bytes()

    undone = run_cli("undo", json.loads(edited.stdout)["correlation_id"], "--library", library_dir)

    assert undone.returncode == 0, undone.stderr
    assert epub.read_bytes() == before
