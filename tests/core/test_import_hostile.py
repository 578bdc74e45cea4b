"""Bad things during an import hit one book each: a full disk, a file that vanishes, odd names,
hostile metadata. The rest goes on, nothing half-written stays, nothing lands outside the library."""

from __future__ import annotations

import errno
import shutil
import unicodedata
from pathlib import Path

from bookdesk.core.importer import placement
from bookdesk.data.work_repository import WorkRepository


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def catalogued(catalog) -> set[str]:
    with catalog.read() as session:
        repo = WorkRepository(session)
        return {f.path for d in repo.details(repo.ids()) for f in d.files}


def test_a_full_disk_fails_the_book_being_copied_and_leaves_no_partial_file(catalog, corpus, manifest,
                                                                            import_books, monkeypatch):
    victim = manifest[2]["file"]
    real_copy = shutil.copyfile

    def copy(source, target, *args, **kwargs):  # noqa: ANN001
        if Path(source).name == victim:
            Path(target).write_bytes(b"half a book")  # the disk filled up midway
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy(source, target, *args, **kwargs)

    monkeypatch.setattr(placement.shutil, "copyfile", copy)
    result, report = import_books(catalog, [corpus])

    assert result.state == "succeeded"
    [failed] = report.failed
    assert failed.path.endswith(victim) and "disk holding the library is full" in failed.error
    assert failed.correlation_id == report.correlation_id
    assert report.count("added") == len(manifest) - 1
    assert {p for p in files_in(catalog.folder) if p.endswith(".epub")} == catalogued(catalog)
    assert not any((catalog.folder / ".staging").iterdir())


def test_a_file_that_vanishes_between_reading_and_copying_fails_alone(catalog, corpus, manifest, import_books,
                                                                      monkeypatch):
    victim = corpus / manifest[0]["file"]
    real_copy = shutil.copyfile

    def copy(source, target, *args, **kwargs):  # noqa: ANN001
        if Path(source) == victim:
            victim.unlink()  # another program took it away
        return real_copy(source, target, *args, **kwargs)

    monkeypatch.setattr(placement.shutil, "copyfile", copy)
    _, report = import_books(catalog, [corpus])
    [failed] = report.failed
    assert "disappeared during the import" in failed.error
    assert report.count("added") == len(manifest) - 1


def test_odd_file_names_and_hostile_metadata_stay_inside_the_library(catalog, tmp_path, make_epub, import_books):
    drop = tmp_path / "drop"
    nfd = unicodedata.normalize("NFD", "Café Müller.epub")
    make_epub(drop / nfd, "<dc:title>../../../etc/passwd</dc:title><dc:creator>CON</dc:creator>")
    make_epub(drop / "two.epub", "<dc:title>\u202egnp.exe\u202c A Title</dc:title>"
                                 "<dc:creator>/root/.ssh</dc:creator>")
    make_epub(drop / "three.epub", f"<dc:title>{'Long ' * 400}</dc:title><dc:creator>Tab\tAnd\nNewline</dc:creator>")
    before = files_in(tmp_path)

    _, report = import_books(catalog, [drop])

    assert report.count("added") == 3 and not report.failed
    for path in catalogued(catalog):
        assert not path.startswith(("/", "..")) and "/../" not in path
        assert (catalog.folder / path).resolve().is_relative_to(catalog.folder.resolve())
        assert path == unicodedata.normalize("NFC", path)
        assert "\u202e" not in path and "\t" not in path and "\n" not in path
        assert all(len(part.encode()) <= 160 for part in path.split("/"))
    assert not any(part.split(".")[0].lower() == "con" for p in catalogued(catalog) for part in p.split("/"))
    new_outside = files_in(tmp_path) - before
    assert all(p.startswith(catalog.folder.relative_to(tmp_path).as_posix() + "/") for p in new_outside)
