"""Importing real EPUBs: every book once, with its metadata; bad files fail alone; nothing else is touched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from bookdesk.core.importer.service import STAGING, ImportService
from bookdesk.data.work_repository import WorkRepository


def books(catalog):
    with catalog.read() as session:
        repo = WorkRepository(session)
        return repo.details(repo.ids())


def library_files(catalog) -> set[str]:
    return {p.relative_to(catalog.folder).as_posix() for p in catalog.folder.rglob("*.epub")}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_importing_a_folder_adds_every_book_once_with_the_metadata_it_carries(catalog, corpus, manifest,
                                                                              import_books):
    result, report = import_books(catalog, [corpus])

    assert result.state == "succeeded"
    assert (report.count("added"), report.count("duplicate"), report.failed) == (len(manifest), 0, [])
    by_source = {item.path: item.work_id for item in report.items}
    with catalog.read() as session:
        repo = WorkRepository(session)
        for truth in manifest:
            source = corpus / truth["file"]
            book = repo.detail(by_source[str(source)])
            assert book.title == truth["title"]
            assert book.authors == [truth["author"]]
            expected_series = [] if truth["series"] is None else [(truth["series"], f"{truth['index']:g}")]
            assert [(s.name, s.label) for s in book.series] == expected_series
            assert book.identifiers["isbn"] == truth["isbn"]
            [file] = book.files
            assert sha(catalog.folder / file.path) == sha(source) == file.content_hash
            assert (file.format, file.size) == ("epub", source.stat().st_size)
            assert book.cover_path and (catalog.folder / book.cover_path).read_bytes().startswith(b"\x89PNG")
    assert library_files(catalog) == {f.path for b in books(catalog) for f in b.files}
    assert result.correlation_id and report.correlation_id == result.correlation_id


def test_importing_the_same_folder_again_adds_nothing(catalog, corpus, manifest, import_books, snapshot):
    _, first = import_books(catalog, [corpus])
    before = snapshot(catalog.folder)

    result, again = import_books(catalog, [corpus])

    assert result.state == "succeeded"
    assert (again.count("added"), again.count("duplicate")) == (0, len(manifest))
    assert {i.path: i.work_id for i in again.items} == {i.path: i.work_id for i in first.items}
    assert len(books(catalog)) == len(manifest)
    assert snapshot(catalog.folder).keys() - before.keys() <= {"bookdesk.sqlite3-wal", "bookdesk.sqlite3-shm"}


def test_a_damaged_file_fails_alone_with_its_reason_and_reference(catalog, corpus, manifest, import_books):
    (corpus / "damaged.epub").write_bytes((corpus / manifest[0]["file"]).read_bytes()[:900])
    (corpus / "empty.epub").write_bytes(b"")
    (corpus / "notes.txt").write_text("not a book, not even looked at")

    result, report = import_books(catalog, [corpus, corpus / "missing.epub"])

    assert result.state == "succeeded"  # the batch went on
    assert report.count("added") == len(manifest)
    failed = {Path(i.path).name: i for i in report.failed}
    assert set(failed) == {"damaged.epub", "empty.epub", "missing.epub"}
    assert "damaged.epub" in failed["damaged.epub"].error
    assert "empty" in failed["empty.epub"].error and "does not exist" in failed["missing.epub"].error
    assert {i.correlation_id for i in report.failed} == {result.correlation_id}
    assert report.summary() == f"{len(manifest)} added, 3 failed"


def test_moving_books_in_removes_only_the_sources_that_were_added(catalog, corpus, manifest, import_books,
                                                                  make_book, tmp_path):
    already = corpus / manifest[0]["file"]
    import_books(catalog, [already])  # a copy of this one is in the library already
    damaged = corpus / "damaged.epub"
    damaged.write_bytes(b"PK\x03\x04 not really")

    result, report = import_books(catalog, [corpus], mode="move")

    statuses = {Path(i.path).name: i.status for i in report.items}
    assert statuses.pop(already.name) == "duplicate" and statuses.pop("damaged.epub") == "failed"
    assert set(statuses.values()) == {"added"}
    assert already.exists() and damaged.exists()
    for truth in manifest[1:]:
        assert not (corpus / truth["file"]).exists()
    assert len(books(catalog)) == len(manifest)
    assert all((catalog.folder / f.path).exists() for b in books(catalog) for f in b.files)


def test_an_import_writes_nothing_outside_the_library_and_leaves_staging_empty(catalog, corpus, import_books,
                                                                               snapshot, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.copytree(corpus, outside)
    (outside / "damaged.epub").write_bytes(b"garbage")
    before = snapshot(tmp_path)

    import_books(catalog, [outside])

    after = snapshot(tmp_path)
    changed = {p for p in after.keys() | before.keys() if after.get(p) != before.get(p)}
    assert changed and all(p.startswith(catalog.folder.name + "/") for p in changed)
    staging = catalog.folder / STAGING
    assert not staging.exists() or list(staging.iterdir()) == []


def test_the_same_file_twice_in_one_batch_is_added_once(catalog, make_book, tmp_path, import_books):
    original = make_book("Twice Over", folder=tmp_path / "a")
    shutil.copy(original, tmp_path / "a" / "copy of Twice Over.epub")

    _, report = import_books(catalog, [tmp_path / "a"])

    assert sorted(i.status for i in report.items) == ["added", "duplicate"]
    [book] = books(catalog)
    assert [i.work_id for i in report.items] == [book.id, book.id]


def test_another_file_of_a_book_with_the_same_isbn_is_a_duplicate(catalog, make_book, tmp_path, import_books):
    make_book("Dune", "Frank Herbert", isbn="9780441172719", folder=tmp_path / "first")
    make_book("Dune (retail)", "Frank Herbert", isbn="978-0-441-17271-9", folder=tmp_path / "second")

    import_books(catalog, [tmp_path / "first"])
    _, report = import_books(catalog, [tmp_path / "second"])

    assert [i.status for i in report.items] == ["duplicate"]
    assert [b.title for b in books(catalog)] == ["Dune"]


def test_a_second_edition_with_the_same_title_and_author_is_reported_not_doubled(catalog, tmp_path, make_epub,
                                                                                 import_books):
    for edition in ("first", "second"):
        make_epub(tmp_path / edition / "book.epub",
                  f"<dc:title>Collected Stories</dc:title><dc:creator>Anon</dc:creator><dc:source>{edition}</dc:source>")

    _, report = import_books(catalog, [tmp_path / "first", tmp_path / "second"])

    assert [i.status for i in report.items] == ["added", "duplicate"]
    assert report.items[1].work_id == report.items[0].work_id
    assert len(books(catalog)) == 1
    assert (tmp_path / "second" / "book.epub").exists()


def test_books_sharing_a_folder_each_keep_their_own_cover(catalog, tmp_path, make_epub, run_job):
    covers = {"First Tales": b"\x89PNG\r\n\x1a\n first cover", "Second Tales": b"\x89PNG\r\n\x1a\n second cover"}
    for title, cover in covers.items():
        make_epub(tmp_path / "in" / f"{title}.epub", f"<dc:title>{title}</dc:title><dc:creator>Anon</dc:creator>",
                  manifest='<item id="img" href="cover.png" media-type="image/png" properties="cover-image"/>',
                  members={"OEBPS/cover.png": cover})
    importer = ImportService(catalog, template="{author}/{title}.{ext}")  # one folder per author

    result, _ = run_job(catalog, lambda ctx: importer.run(ctx, [tmp_path / "in"]))

    assert [i.status for i in result.value.items] == ["added", "added"]
    by_title = {b.title: b for b in books(catalog)}
    assert {b.cover_path for b in by_title.values()} == {"Anon/cover.png", "Anon/cover (2).png"}
    for title, cover in covers.items():
        assert (catalog.folder / by_title[title].cover_path).read_bytes() == cover


def test_cancelling_an_import_leaves_no_file_in_the_library_that_the_catalog_does_not_know(
        catalog, corpus, manifest, run_job, monkeypatch):
    from bookdesk.core.importer import service as service_module

    contexts, reads = [], []

    def read_then_cancel(unit, cover_dir):  # noqa: ANN001
        reads.append(unit)
        if len(reads) == 3:
            contexts[0].cancel()  # the user presses Cancel while the third book is read
        return service_module.read_one.__wrapped__(unit, cover_dir)

    read_then_cancel.__wrapped__ = service_module.read_one
    monkeypatch.setattr(service_module, "read_one", read_then_cancel)
    importer = ImportService(catalog)
    result, _ = run_job(catalog, lambda ctx: importer.run(ctx, [corpus]), before=contexts.append)

    assert result.state == "cancelled"
    known = {f.path for b in books(catalog) for f in b.files}
    assert library_files(catalog) == known
    assert len(known) < len(manifest)
    assert all((corpus / t["file"]).exists() for t in manifest)  # copy mode: sources untouched
    assert not any((catalog.folder / STAGING).iterdir())
