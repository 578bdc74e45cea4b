"""A book's cover on removal and undo: a cover another book shows is never trashed, covers nobody shows
any more go with the book, and an undo never leaves a book pointing at a cover that is not there."""

from __future__ import annotations


def test_removing_a_split_out_book_keeps_the_cover_the_other_book_shows(shelf, library, removal, add_format,
                                                                         give_cover):
    work_id = shelf["Ash"]
    cover = give_cover(work_id)
    split = removal.split(work_id, add_format(work_id, "Archer, Ann/Ash/Ash.pdf", b"%PDF-1.4 ash"))

    report = removal.remove(split.works)

    assert report.summary() == "removed 1 book, 1 file moved to the trash"
    assert (library.folder / cover).is_file() and library.detail(work_id).cover_path == cover
    assert (library.folder / "Archer, Ann/Ash/Ash.pdf").exists() is False


def test_a_cover_shared_by_two_removed_books_goes_with_the_last_and_both_come_back(shelf, library, removal,
                                                                                    add_format, give_cover):
    work_id = shelf["Ash"]
    cover = give_cover(work_id)
    split = removal.split(work_id, add_format(work_id, "Archer, Ann/Ash/Ash.pdf", b"%PDF-1.4 ash"))

    report = removal.remove([work_id, *split.works])
    assert not (library.folder / cover).exists()
    library.undo_job(report.correlation_id)

    assert (library.folder / cover).is_file()
    assert library.detail(work_id).cover_path == cover == library.detail(split.works[0]).cover_path


def test_an_undo_after_the_trash_was_emptied_leaves_no_cover_pointing_at_nothing(shelf, library, removal, trash,
                                                                                  give_cover):
    work_id = shelf["Ash"]
    give_cover(work_id)
    report = removal.remove([work_id])
    for trashed in (trash / "files").iterdir():  # the trash emptied since
        trashed.unlink()

    undo = library.undo_job(report.correlation_id)

    assert library.detail(work_id).cover_path is None
    assert any("cover" in problem for problem in undo.problems)


def test_covers_the_book_showed_before_go_with_it_and_leave_no_folder(shelf, library, removal, give_cover):
    work_id = shelf["Ash"]
    older = library.folder / give_cover(work_id, "cover.png")
    give_cover(work_id, "cover (2).png")  # a cover chosen later, whose change was undone: the older shown again
    with library.catalog.write() as session:
        from bookdesk.data.models import Work

        session.get(Work, work_id).cover_path = older.relative_to(library.folder).as_posix()
    folder = older.parent

    report = removal.remove([work_id])

    assert not folder.exists()
    library.undo_job(report.correlation_id)
    assert sorted(p.name for p in folder.iterdir() if "cover" in p.name) == ["cover (2).png", "cover.png"]
