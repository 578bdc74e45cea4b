"""Undoing an import takes its books out again, and puts moved files back where they were."""

from __future__ import annotations

from bookdesk.core.library_service import LibraryService
from bookdesk.data.work_repository import WorkRepository


def library_books(catalog) -> int:
    with catalog.read() as session:
        return len(WorkRepository(session).ids())


def test_undoing_a_copy_import_removes_its_books_and_files_and_nothing_else(catalog, corpus, manifest,
                                                                           import_books, make_book, tmp_path):
    _, earlier = import_books(catalog, [make_book("Kept From Before", folder=tmp_path / "earlier")])
    _, report = import_books(catalog, [corpus])
    assert library_books(catalog) == len(manifest) + 1

    undo = LibraryService(catalog).undo_job(report.correlation_id)

    assert (undo.imported.works_removed, undo.imported.files_removed) == (len(manifest), len(manifest))
    with catalog.read() as session:
        repo = WorkRepository(session)
        assert [d.title for d in repo.details(repo.ids())] == ["Kept From Before"]
        kept = repo.detail(repo.ids()[0]).files[0].path
    on_disk = {p.relative_to(catalog.folder).as_posix() for p in catalog.folder.rglob("*") if p.is_file()}
    assert {p for p in on_disk if not p.startswith("bookdesk.")} == {kept}
    assert all((corpus / t["file"]).exists() for t in manifest)
    # Imported again after the undo, the books come back: the undo forgot them as sources too.
    _, again = import_books(catalog, [corpus])
    assert again.count("added") == len(manifest)


def test_undoing_a_move_import_puts_every_file_back_where_it_came_from(catalog, corpus, manifest, import_books):
    originals = {t["file"]: (corpus / t["file"]).read_bytes() for t in manifest}
    _, report = import_books(catalog, [corpus], mode="move")
    assert not any((corpus / name).exists() for name in originals)

    undo = LibraryService(catalog).undo_job(report.correlation_id)

    assert undo.imported.files_restored == len(manifest)
    assert {name: (corpus / name).read_bytes() for name in originals} == originals
    assert library_books(catalog) == 0


def test_the_same_title_and_author_in_another_file_is_a_duplicate_of_that_work(catalog, make_book, tmp_path,
                                                                              import_books):
    first = make_book("Shared Work", author="Ann Author", isbn="9780306406157", folder=tmp_path / "a")
    _, added = import_books(catalog, [first])
    again = make_book("Shared Work", author="Author, Ann", folder=tmp_path / "b", name="Shared Work.kepub")
    _, second = import_books(catalog, [again])
    assert second.items[0].status == "duplicate" and second.items[0].work_id == added.items[0].work_id
    assert library_books(catalog) == 1
