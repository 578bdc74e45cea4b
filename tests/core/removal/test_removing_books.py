"""Remove from Library: rows out of the catalog, files to the system trash, all of it undoable while
the trash still holds the files."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from bookdesk.core.library_service import LibraryService


def _file_of(library: LibraryService, work_id: int) -> Path:
    return library.absolute(library.detail(work_id).files[0].path)


def _trashed_names(trash: Path) -> set[str]:
    return {p.name for p in (trash / "files").iterdir()} if (trash / "files").is_dir() else set()


def test_removed_books_leave_the_catalog_and_their_files_go_to_the_trash(shelf, library, removal, trash):
    ash, bone = _file_of(library, shelf["Ash"]), _file_of(library, shelf["Bone"])
    before = {ash.name: ash.read_bytes(), bone.name: bone.read_bytes()}

    report = removal.remove([shelf["Ash"], shelf["Bone"]])

    assert sorted(report.works) == sorted([shelf["Ash"], shelf["Bone"]]) and not report.failures
    assert [d.title for d in library.details(library.work_ids())] == ["Cinder"]
    assert not ash.exists() and not bone.exists()
    assert {name: (trash / "files" / name).read_bytes() for name in before} == before
    infos = "".join(p.read_text() for p in (trash / "info").glob("*.trashinfo"))
    assert f"Path={quote(str(ash))}\n" in infos and f"Path={quote(str(bone))}\n" in infos
    assert report.summary() == "removed 2 books, 2 files moved to the trash"


def test_undo_puts_the_books_back_whole_with_their_files(shelf, library, removal, trash):
    work_id = shelf["Ash"]
    library.edit(work_id, "tags", ["favourite", "sea"])
    library.edit(work_id, "series", [{"name": "Tides", "label": "2"}])
    before = library.detail(work_id)
    history = [(c.field, c.new_value) for c in library.history(work_id)]
    content = _file_of(library, work_id).read_bytes()
    report = removal.remove([work_id])

    undo = library.undo_job(report.correlation_id)

    assert undo.restored.works_restored == 1 and not undo.problems
    after = library.detail(work_id)
    assert (after.title, after.authors, after.tags, [(s.name, s.label) for s in after.series]) == \
        (before.title, before.authors, before.tags, [(s.name, s.label) for s in before.series])
    assert [f.path for f in after.files] == [f.path for f in before.files]
    assert _file_of(library, work_id).read_bytes() == content
    assert [(c.field, c.new_value) for c in library.history(work_id)] == history
    assert _trashed_names(trash) == set() and not list((trash / "info").glob("*.trashinfo"))
    assert library.work_ids(search="Tides") == [work_id]  # found by search again
    assert "1 book put back, 1 file back from the trash" in undo.summary()


def test_keep_files_takes_only_the_catalog_rows(shelf, library, removal, trash):
    ash = _file_of(library, shelf["Ash"])

    report = removal.remove([shelf["Ash"]], keep_files=True)

    assert ash.exists() and _trashed_names(trash) == set()
    assert report.files_kept == [ash.relative_to(library.folder).as_posix()] and report.files_trashed == []
    assert shelf["Ash"] not in library.work_ids()
    library.undo_job(report.correlation_id)
    assert library.detail(shelf["Ash"]).files[0].path == report.files_kept[0]


def test_a_book_in_a_folder_that_cannot_be_written_stays_and_the_rest_go(shelf, library, removal, trash, immutable):
    ash = _file_of(library, shelf["Ash"])
    immutable(ash.parent)  # chattr +i: not even root can move a file out of it

    report = removal.remove([shelf["Ash"], shelf["Bone"]])

    assert report.works == [shelf["Bone"]]
    [failure] = report.failures
    assert failure.work_id == shelf["Ash"] and "“Ash” was not removed" in failure.reason
    assert str(ash) in failure.reason
    assert ash.exists() and library.detail(shelf["Ash"]).files
    assert sorted(d.title for d in library.details(library.work_ids())) == ["Ash", "Cinder"]


def test_a_book_with_one_file_that_cannot_go_keeps_all_its_files(shelf, library, removal, trash, add_format,
                                                                 immutable):
    work_id = shelf["Ash"]
    add_format(work_id, "Elsewhere/Ash.pdf", b"%PDF-1.4 ash")
    epub = _file_of(library, work_id)
    immutable(library.folder / "Elsewhere")

    report = removal.remove([work_id])

    assert report.works == [] and len(report.failures) == 1
    assert epub.exists() and (library.folder / "Elsewhere" / "Ash.pdf").exists()  # the EPUB came back
    assert _trashed_names(trash) == set()
    assert len(library.detail(work_id).files) == 2


def test_undo_after_the_trash_lost_a_file_restores_the_rest_and_names_it(shelf, library, removal, trash):
    ash, bone_bytes = _file_of(library, shelf["Ash"]), _file_of(library, shelf["Bone"]).read_bytes()
    report = removal.remove([shelf["Ash"], shelf["Bone"]])
    (trash / "files" / ash.name).unlink()  # emptied from the trash by hand

    undo = library.undo_job(report.correlation_id)

    assert undo.restored.works_restored == 2
    assert undo.problems == [f"{ash.name} is no longer in the trash (it was emptied or the file deleted there)."]
    assert library.detail(shelf["Ash"]).files == ()  # the book is back; no file listed that is not there
    assert _file_of(library, shelf["Bone"]).read_bytes() == bone_bytes


def test_a_book_back_without_any_of_its_files_is_named(shelf, library, removal, trash):
    ash = _file_of(library, shelf["Ash"])
    report = removal.remove([shelf["Ash"]])
    (trash / "files" / ash.name).unlink()  # the trash was emptied

    undo = library.undo_job(report.correlation_id)

    assert library.detail(shelf["Ash"]).files == ()
    assert any(ash.name in problem and "no longer in the trash" in problem for problem in undo.problems)
    assert "“Ash” is back without its files" in undo.summary()


def test_an_undone_removal_cannot_be_undone_twice(shelf, library, removal):
    report = removal.remove([shelf["Ash"]])
    library.undo_job(report.correlation_id)

    import pytest

    from bookdesk.errors import NotFoundError

    with pytest.raises(NotFoundError):
        library.undo_job(report.correlation_id)
    assert sorted(d.title for d in library.details(library.work_ids())) == ["Ash", "Bone", "Cinder"]


def test_a_removed_id_taken_by_a_new_book_is_not_overwritten_by_undo(shelf, library, removal, import_books,
                                                                      make_book, tmp_path, catalog):
    last = max(shelf.values())
    title = next(t for t, i in shelf.items() if i == last)
    report = removal.remove([last])
    import_books(catalog, [make_book("Driftwood", author="Dee Dale", folder=tmp_path / "later")])

    library.undo_job(report.correlation_id)

    titles = sorted(d.title for d in library.details(library.work_ids()))
    assert titles == sorted([*shelf, "Driftwood"]) and title in titles


def test_a_catalog_that_fails_to_take_the_removal_gets_the_files_back(shelf, library, removal, trash, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from bookdesk.data.removal_repository import RemovalRepository

    ash = _file_of(library, shelf["Ash"])

    def refuse(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OperationalError("INSERT INTO removals", {}, Exception("disk I/O error"))

    monkeypatch.setattr(RemovalRepository, "add", refuse)
    import pytest

    with pytest.raises(OperationalError):
        removal.remove([shelf["Ash"]])
    assert ash.exists() and _trashed_names(trash) == set()
    assert library.detail(shelf["Ash"]).files[0].path == ash.relative_to(library.folder).as_posix()


def test_undo_leaves_in_the_trash_a_file_whose_place_was_taken_since(shelf, library, removal, trash):
    ash = _file_of(library, shelf["Ash"])
    report = removal.remove([shelf["Ash"]])
    ash.parent.mkdir(parents=True, exist_ok=True)
    ash.write_bytes(b"another book now")

    undo = library.undo_job(report.correlation_id)

    assert undo.problems == [f"{ash.name} could not go back: another file is at {ash} now."]
    assert ash.read_bytes() == b"another book now" and (trash / "files" / ash.name).is_file()
    assert library.detail(shelf["Ash"]).title == "Ash" and library.detail(shelf["Ash"]).files == ()


def test_a_trash_holding_an_older_file_of_the_same_name_gives_back_the_right_one(shelf, library, removal, trash,
                                                                                   add_format):
    work_id = shelf["Ash"]
    ash = _file_of(library, work_id)
    first = removal.remove_format(work_id, add_format(work_id, "Archer, Ann/Ash/extra.pdf", b"first"))
    second = removal.remove_format(work_id, add_format(work_id, "Archer, Ann/Ash/extra.pdf", b"second"))
    assert sorted(_trashed_names(trash)) == ["extra 1.pdf", "extra.pdf"]

    library.undo_job(second.correlation_id)

    assert (ash.parent / "extra.pdf").read_bytes() == b"second"
    assert (trash / "files" / "extra.pdf").read_bytes() == b"first" and first.files_trashed
