"""Undoing a merge, a split or a format removal after more was done since: the later work stays, no
book lists a file that is not there, and no file moves unless the catalog takes the change."""

from __future__ import annotations


def _paths(library, work_id: int) -> list[str]:  # noqa: ANN001
    return sorted(f.path for f in library.detail(work_id).files)


def test_undoing_a_merge_keeps_what_was_done_to_the_kept_book_since(shelf, library, removal):
    keep, other = shelf["Ash"], shelf["Bone"]
    library.edit(keep, "tags", ["before"])
    report = removal.merge(keep, [other])
    library.edit(keep, "title", "After merge")
    library.edit(keep, "tags", ["after"])

    library.undo_job(report.correlation_id)

    kept = library.detail(keep)
    assert (kept.title, kept.tags) == ("After merge", ("after",))
    assert [c.new_value for c in library.history(keep) if c.field == "title"] == ["After merge"]
    assert library.detail(other).title == "Bone" and len(kept.files) == 1 and len(library.detail(other).files) == 1


def test_undoing_a_merge_after_the_merged_book_was_removed_waits_for_that_removal_and_changes_nothing(
        shelf, library, removal, give_cover):
    keep, other = shelf["Ash"], shelf["Bone"]
    other_file, cover = _paths(library, other), give_cover(other)
    merged = removal.merge(keep, [other])
    removed = removal.remove([keep])

    refused = library.undo_job(merged.correlation_id)

    assert other not in library.work_ids() and keep not in library.work_ids()
    [problem] = refused.problems
    assert removed.correlation_id in problem and "first" in problem and refused.restored.works_restored == 0

    library.undo_job(removed.correlation_id)  # in that order, both come back, each with its own files
    undone = library.undo_job(merged.correlation_id)

    assert undone.problems == [] and undone.restored.works_restored == 1
    assert _paths(library, other) == other_file and library.detail(other).cover_path == cover
    assert all(library.absolute(f.path).exists() for w in (keep, other) for f in library.detail(w).files)


def test_undoing_an_old_split_whose_book_was_merged_away_leaves_a_book_that_reuses_its_id(shelf, library, removal,
                                                                                         add_format):
    work_id = shelf["Ash"]
    epub = _paths(library, work_id)
    first = removal.split(work_id, add_format(work_id, "Archer, Ann/Ash/Ash.pdf", b"%PDF-1.4 ash"))
    [new_id] = first.works
    removal.merge(work_id, [new_id])
    epub_id = next(f.id for f in library.detail(work_id).files if f.path == epub[0])
    second = removal.split(work_id, epub_id)
    assert second.works == [new_id]  # the id came free with the merge and was given again

    refused = library.undo_job(first.correlation_id)

    assert _paths(library, new_id) == epub and _paths(library, work_id) == ["Archer, Ann/Ash/Ash.pdf"]
    [problem] = refused.problems
    assert "not undone" in problem and "first" in problem


def test_undoing_a_split_refuses_to_lose_what_was_done_to_the_split_out_book(shelf, library, removal, add_format):
    work_id = shelf["Ash"]
    split = removal.split(work_id, add_format(work_id, "Archer, Ann/Ash/Ash.pdf", b"%PDF-1.4 ash"))
    [new_id] = split.works
    library.edit(new_id, "title", "Ash (PDF edition)")

    undo = library.undo_job(split.correlation_id)

    assert library.detail(new_id).title == "Ash (PDF edition)" and _paths(library, new_id) == ["Archer, Ann/Ash/Ash.pdf"]
    [problem] = undo.problems
    assert f"book {new_id}" in problem and "title" in problem and "Merge Books" in problem


def test_undoing_a_format_removal_whose_book_was_removed_since_moves_nothing_and_says_why(shelf, library, removal,
                                                                                          add_format, trash):
    work_id = shelf["Ash"]
    pdf, epub = library.folder / "Archer, Ann/Ash/Ash.pdf", _paths(library, work_id)
    format_removal = removal.remove_format(work_id, add_format(work_id, "Archer, Ann/Ash/Ash.pdf", b"%PDF ash"))
    book_removal = removal.remove([work_id])

    undo = library.undo_job(format_removal.correlation_id)

    assert not pdf.exists() and (trash / "files" / "Ash.pdf").is_file()
    [problem] = undo.problems
    assert "Ash.pdf" in problem and "no longer in the library" in problem and book_removal.correlation_id in problem

    library.undo_job(book_removal.correlation_id)
    library.undo_job(format_removal.correlation_id)  # in that order, both come back

    assert _paths(library, work_id) == sorted([*epub, "Archer, Ann/Ash/Ash.pdf"])
    assert pdf.read_bytes() == b"%PDF ash"


def test_a_catalog_that_refuses_the_undo_leaves_the_files_in_the_trash(shelf, library, removal, trash,
                                                                       monkeypatch):
    import pytest
    from sqlalchemy.exc import OperationalError

    from bookdesk.data import work_snapshot

    ash = library.absolute(library.detail(shelf["Ash"]).files[0].path)
    report = removal.remove([shelf["Ash"]])

    def refuse(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OperationalError("INSERT INTO works", {}, Exception("disk I/O error"))

    monkeypatch.setattr(work_snapshot, "restore", refuse)
    with pytest.raises(OperationalError):
        library.undo_job(report.correlation_id)
    assert not ash.exists() and (trash / "files" / ash.name).is_file()

    monkeypatch.undo()
    library.undo_job(report.correlation_id)  # the trash entry is still found
    assert ash.is_file()
