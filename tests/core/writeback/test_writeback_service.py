"""The write-back service: a work's metadata goes into each of its EPUB and audio files, each file with
its own result, a failure costing only that file, and every changed file reported with its new hash."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest
from writeback_files import FIXTURES, file_record, folder_bytes, make_work, sha256

from bookdesk.core.importer.readers.epub import read_epub
from bookdesk.core.library_service import LibraryService
from bookdesk.core.writeback import BackupStore, WritebackService
from bookdesk.data.catalog_rows import FileRecord, SeriesRef


@pytest.fixture
def shelf(library, put, tmp_path):
    """A work with an EPUB, an M4B and a PDF side by side in the library."""
    put("ebooks/lantern.epub", "Le Guin/Lantern/lantern.epub")
    put("audio/lantern.m4b", "Le Guin/Lantern/lantern.m4b")
    pdf = library / "Le Guin" / "Lantern" / "lantern.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return tuple(file_record(library, f"Le Guin/Lantern/lantern.{ext}", i)
                 for i, ext in enumerate(("epub", "m4b", "pdf"), start=1))


def test_each_file_of_a_work_gets_its_own_result_and_the_new_size_and_hash_of_what_changed(library, shelf):
    results = WritebackService(library).write(make_work(shelf))

    assert [(r.file_id, r.status) for r in results] == [(1, "written"), (2, "written"), (3, "skipped")]
    for result in results[:2]:
        path = library / result.path
        assert result.content_hash == sha256(path) and result.size == path.stat().st_size
        assert result.mtime == pytest.approx(path.stat().st_mtime_ns / 1e9)
        assert result.changed and result.backups
    assert results[2].message == "BookDesk does not write into PDF files; their metadata stays in the catalog only."
    assert results[2].content_hash is None and not results[2].changed
    epub = read_epub(library / shelf[0].path)
    assert (epub.title, [c.name for c in epub.authors]) == ("The Lantern Keeper's Archive",
                                                            ["Ursula K. Le Guin", "Sven Eklund"])
    assert epub.series == [SeriesRef("Harbour Lights", "3")] and epub.identifiers["isbn"] == "9780141036144"


def test_a_read_only_file_fails_alone_and_keeps_its_bytes(library, shelf):
    epub = library / shelf[0].path
    before = epub.read_bytes()
    epub.chmod(0o444)

    results = WritebackService(library).write(make_work(shelf))

    assert [r.status for r in results] == ["failed", "written", "skipped"]
    assert results[0].message == "lantern.epub is read-only; BookDesk leaves read-only files as they are."
    assert epub.read_bytes() == before and results[0].content_hash is None
    assert BackupStore(library).backups(shelf[0].path) == []  # nothing was about to change


def test_a_file_that_vanished_fails_alone(library, shelf):
    (library / shelf[1].path).unlink()

    results = WritebackService(library).write(make_work(shelf))

    assert [r.status for r in results] == ["written", "failed", "skipped"]
    assert "lantern.m4b is no longer where the library expects it" in results[1].message


def test_a_failure_at_the_last_step_leaves_the_original_and_its_backup_in_place(library, shelf, monkeypatch):
    epub = library / shelf[0].path
    before = epub.read_bytes()
    from bookdesk.core.writeback import files

    def refuse(source, target):  # noqa: ANN001
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)

    [result] = WritebackService(library).write(make_work(shelf[:1]))

    assert result.status == "failed" and "could not be replaced" in result.message
    assert epub.read_bytes() == before
    [backup] = BackupStore(library).backups(shelf[0].path)
    assert backup.read_bytes() == before
    assert sorted(p.name for p in epub.parent.iterdir()) == ["lantern.epub", "lantern.m4b", "lantern.pdf"]


def test_a_work_whose_files_already_say_it_all_is_skipped(library, shelf):
    service = WritebackService(library)
    service.write(make_work(shelf[:2]))

    results = service.write(make_work(shelf[:2]))

    assert [r.status for r in results] == ["skipped", "skipped"]
    assert all("already says" in r.message for r in results)


def test_a_path_that_leaves_the_library_is_refused(library, tmp_path):
    outside = tmp_path / "outside.epub"
    shutil.copy(FIXTURES / "ebooks" / "lantern.epub", outside)
    record = FileRecord(1, "../outside.epub", "epub", "ebook", 1, "0" * 64)

    [result] = WritebackService(library).write(make_work((record,)))

    assert result.status == "failed" and "not a path inside the library" in result.message
    assert outside.read_bytes() == (FIXTURES / "ebooks" / "lantern.epub").read_bytes()


def test_imported_books_are_written_through_the_catalogs_own_records(catalog, tmp_path, import_books):
    """End to end: import an EPUB and a book in parts, edit the work, write it back; the results carry
    hashes computed as the importer computes them (all parts in order for a book in parts)."""
    incoming = tmp_path / "incoming"
    shutil.copytree(FIXTURES / "audio" / "glass-signal", incoming / "The Glass Signal")
    _, report = import_books(catalog, [incoming / "The Glass Signal"])
    library_service = LibraryService(catalog)
    work_id = report.items[0].work_id
    library_service.edit(work_id, "authors", ["Ines Moreau", "Second Author"])
    work = library_service.detail(work_id)
    [record] = work.files
    assert (library_service.absolute(record.path)).is_dir()

    [result] = WritebackService(catalog.folder).write(work)

    assert result.status == "written" and result.content_hash != record.content_hash
    folder = library_service.absolute(record.path)
    parts = sorted(folder.glob("*.mp3"), key=lambda p: [int(t) if t.isdigit() else t for t in p.stem.split()])
    assert result.content_hash == hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()
    assert result.size == sum(p.stat().st_size for p in parts)
    assert [c.name for c in work.contributors] == ["Ines Moreau", "Second Author"]
    assert "3 parts" in result.message
    assert not any(p.name.startswith(".") for p in folder.iterdir())
    assert os.path.isdir(catalog.folder / ".backup")


def test_a_work_with_only_a_pdf_or_nothing_to_say_writes_nothing(library, shelf):
    empty = make_work(shelf[:1], title="", contributors=(), series=(), identifiers={}, description=None,
                      language=None, publisher=None, first_published=None)
    before = folder_bytes(library)

    results = WritebackService(library).write(make_work(shelf[2:])) + WritebackService(library).write(empty)

    assert [r.status for r in results] == ["skipped", "skipped"]
    assert results[1].message == "The catalog knows nothing about this book to write."
    assert folder_bytes(library) == before


def test_every_temporary_file_of_a_write_back_is_found_by_the_sweep_after_a_kill(library, shelf, monkeypatch):
    """Wherever a write-back, its backup or a restore makes a temporary file, a kill at that moment
    leaves it to the sweep at the next open: the folder was noted before the file was made."""
    import time

    from bookdesk.core import temp_sweep
    from bookdesk.core.temp_names import BACKUP_TEMP, WRITEBACK_TEMP
    from bookdesk.core.writeback import backup, files

    def temporary_files() -> list:
        return [p for p in library.rglob(".*")
                if p.is_file() and (WRITEBACK_TEMP.match(p.name) or BACKUP_TEMP.match(p.name))]

    seen: list[tuple[str, int, list]] = []  # not asserted here: the service takes an exception for a failure

    def killed_here(what: str) -> None:
        made = temporary_files()
        temp_sweep.sweep_temp_files(library, older_than=time.time() + 3600)  # as the next open would
        seen.append((what, len(made), temporary_files()))

    real_copy = backup._copy

    def copy_then_kill(source, target):  # noqa: ANN001, ANN202 - as backup._copy
        real_copy(source, target)
        killed_here(f"a copy to {target.parent.name}")
        return real_copy(source, target)  # the write goes on, to reach its later temporary files

    monkeypatch.setattr(backup, "_copy", copy_then_kill)
    monkeypatch.setattr(files, "reach", lambda point: killed_here(point))

    service = WritebackService(library)
    results = service.write(make_work(shelf)) + [service.restore(shelf[0])]
    # The EPUB's and the M4B's backup copies, made while their write-back copies exist; the restore's.
    assert sum(made for _, made, _ in seen) >= 5, (seen, results)
    assert [(what, made) for what, made, _ in seen if made == 0] == []
    assert [(what, left) for what, _, left in seen if left] == []
