"""Books of every kind through the whole pipeline: an ebook and its audiobook become one work with
two files side by side; a folder of parts becomes one audiobook; undoing the audiobook keeps the ebook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bookdesk.core.library_service import LibraryService
from bookdesk.data.work_repository import WorkRepository

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def details(catalog):
    with catalog.read() as session:
        repo = WorkRepository(session)
        return repo.details(repo.ids())


def test_an_ebook_and_its_audiobook_become_one_work_with_two_files(catalog, tmp_path, import_books):
    shutil.copy(FIXTURES / "ebooks" / "lantern.epub", tmp_path / "lantern.epub")
    _, first = import_books(catalog, [tmp_path / "lantern.epub"])
    shutil.copy(FIXTURES / "audio" / "lantern.m4b", tmp_path / "lantern.m4b")
    _, second = import_books(catalog, [tmp_path / "lantern.m4b"])

    [work] = details(catalog)
    assert second.items[0].status == "added" and second.items[0].work_id == work.id == first.items[0].work_id
    assert sorted(f.format for f in work.files) == ["epub", "m4b"]
    assert len({f.path.rsplit("/", 1)[0] for f in work.files}) == 1  # side by side in the book's folder
    audio = next(f for f in work.files if f.format == "m4b")
    assert audio.media_kind == "audiobook" and audio.duration_seconds and audio.duration_seconds > 0
    assert LibraryService(catalog).rows([work.id])[0].formats == "EPUB, M4B"

    LibraryService(catalog).undo_job(second.correlation_id)
    [kept] = details(catalog)
    assert [f.format for f in kept.files] == ["epub"] and kept.id == work.id
    assert not (catalog.folder / audio.path).exists()


def test_a_folder_of_numbered_parts_is_one_audiobook_in_its_own_folder(catalog, tmp_path, import_books):
    parts = tmp_path / "The Glass Signal"
    shutil.copytree(FIXTURES / "audio" / "glass-signal", parts)

    _, report = import_books(catalog, [parts])

    [item] = report.items
    assert item.status == "added"
    [work] = details(catalog)
    [file] = work.files
    assert file.format == "mp3" and file.media_kind == "audiobook"
    folder = catalog.folder / file.path
    assert folder.is_dir()
    assert sorted(p.name for p in folder.glob("*.mp3")) == ["Part 1.mp3", "Part 10.mp3", "Part 2.mp3"]
    assert file.size == sum(p.stat().st_size for p in parts.glob("*.mp3"))
    with catalog.read() as session:
        from bookdesk.data.models import File

        chapters = json.loads(session.get(File, file.id).chapters_json)
    assert [c["start"] for c in chapters] == sorted(c["start"] for c in chapters) and len(chapters) == 3


def test_every_fixture_format_imports_and_reimports_as_unchanged(catalog, tmp_path, import_books):
    shutil.copytree(FIXTURES, tmp_path / "all", ignore=shutil.ignore_patterns("*.sh", "*.jpg", "*.md"))
    _, first = import_books(catalog, [tmp_path / "all"])
    assert not first.failed and first.count("added") == len(first.items)
    formats = {f.format for w in details(catalog) for f in w.files}
    assert {"epub", "mobi", "azw3", "m4b", "mp3", "flac", "ogg", "opus"} <= formats
    _, again = import_books(catalog, [tmp_path / "all"])
    assert again.count("duplicate") == len(again.items) and again.count("added") == 0
