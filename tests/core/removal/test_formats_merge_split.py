"""Remove one format, Merge Books, Split a format out: each changes only what it says, and undoes."""

from __future__ import annotations

import pytest

from bookdesk.errors import UsageError


def test_removing_one_format_trashes_that_file_and_keeps_the_book(shelf, library, removal, add_format, trash):
    work_id = shelf["Ash"]
    pdf_id = add_format(work_id, "Archer, Ann/Ash/Ash.pdf", b"%PDF-1.4 ash")
    epub = library.detail(work_id).files

    report = removal.remove_format(work_id, pdf_id)

    assert report.files_trashed == ["Archer, Ann/Ash/Ash.pdf"] and report.summary().startswith("removed 1 format")
    assert [f.format for f in library.detail(work_id).files] == ["epub"]
    assert library.rows([work_id])[0].formats == "EPUB"
    assert (trash / "files" / "Ash.pdf").read_bytes() == b"%PDF-1.4 ash"
    assert not (library.folder / "Archer, Ann/Ash/Ash.pdf").exists()

    library.undo_job(report.correlation_id)

    assert sorted(f.format for f in library.detail(work_id).files) == ["epub", "pdf"]
    assert library.rows([work_id])[0].formats == "EPUB, PDF"
    assert (library.folder / "Archer, Ann/Ash/Ash.pdf").read_bytes() == b"%PDF-1.4 ash"
    assert [f.path for f in library.detail(work_id).files if f.format == "epub"] == [epub[0].path]


def test_merging_keeps_the_chosen_metadata_and_every_file_and_change(shelf, library, removal):
    keep, other = shelf["Ash"], shelf["Bone"]
    library.edit(other, "tags", ["bone-tag"])
    other_file = library.detail(other).files[0].path

    report = removal.merge(keep, [other])

    assert report.works == [other] and other not in library.work_ids()
    merged = library.detail(keep)
    assert (merged.title, merged.authors) == ("Ash", ["Ann Archer"])
    assert other_file in [f.path for f in merged.files] and len(merged.files) == 2
    assert ("tags", ["bone-tag"]) in [(c.field, c.new_value) for c in library.history(keep)]

    library.undo_job(report.correlation_id)

    assert [f.path for f in library.detail(other).files] == [other_file]
    assert len(library.detail(keep).files) == 1
    assert library.detail(other).tags == ("bone-tag",) and library.detail(other).authors == ["Ben Bowman"]
    assert [c.field for c in library.history(other)] == ["tags"] and library.history(keep) == []


def test_merging_one_book_alone_is_refused(shelf, removal):
    with pytest.raises(UsageError):
        removal.merge(shelf["Ash"], [shelf["Ash"]])


def test_splitting_a_format_makes_a_book_of_it_with_the_same_metadata(shelf, library, removal, add_format):
    work_id = shelf["Ash"]
    library.edit(work_id, "tags", ["sea"])
    pdf_id = add_format(work_id, "Archer, Ann/Ash/Ash.pdf", b"%PDF-1.4 ash")

    report = removal.split(work_id, pdf_id)

    [new_id] = report.works
    new = library.detail(new_id)
    assert (new.title, new.authors, new.tags) == ("Ash", ["Ann Archer"], ("sea",))
    assert [f.format for f in new.files] == ["pdf"] and [f.format for f in library.detail(work_id).files] == ["epub"]

    library.undo_job(report.correlation_id)

    assert new_id not in library.work_ids()
    assert sorted(f.format for f in library.detail(work_id).files) == ["epub", "pdf"]


def test_the_only_format_of_a_book_is_not_split(shelf, library, removal):
    work_id = shelf["Ash"]
    with pytest.raises(UsageError):
        removal.split(work_id, library.detail(work_id).files[0].id)
