"""A calibre library brought over before, run again after calibre and BookDesk both changed things: calibre's
changes come over, BookDesk's edits stay, a field both changed goes to review; books calibre added come,
books it removed go; custom columns come as fields, one chosen as the read state; the run undoes by its Ref.
The changes in calibre are made by the real calibredb."""

from __future__ import annotations

from bookdesk.core.calibre.plan import CALIBRE_ID
from bookdesk.core.calibre.service import CalibreImportService
from bookdesk.core.library_service import LibraryService
from bookdesk.data.calibre_repository import CalibreRepository
from tests.calibre_library import calibredb
from tests.conftest import tree


def _books(library: LibraryService) -> dict[int, object]:
    return {int(d.identifiers[CALIBRE_ID]): d for d in library.details(library.work_ids())}


def test_custom_columns_come_as_fields_and_a_read_column_as_the_read_state(catalog, calibre_copy, bring_over):
    folder, _ = calibre_copy
    bring_over(catalog, folder, read_column="read")
    library = LibraryService(catalog)
    books = _books(library)
    assert [books[n].read_state for n in (1, 2, 3)] == ["finished", "unread", "unread"]
    with catalog.read() as session:
        custom = {v.name: (v.label, v.value) for v in CalibreRepository(session).custom(books[1].id)}
    assert custom == {"read": ("Read", True), "shelf": ("Shelf", "Next"), "moods": ("Moods", ["dark", "quiet"]),
                      "pages": ("Pages", 205), "started": ("Started", "2020-01-02"), "notes": ("Notes", "Loved it")}
    history = {c.field: c.source for c in library.history(books[1].id)}
    assert history["read_state"] == "calibre"


def test_a_column_that_cannot_be_a_read_state_is_refused_naming_those_that_can(catalog, calibre_copy, run_job):
    folder, _ = calibre_copy
    importer = CalibreImportService(catalog)
    result, _ = run_job(catalog, lambda ctx: importer.preview(ctx, folder, "in-place", "pages"))
    assert result.state == "failed"
    assert "no yes/no or choice column 'pages'" in result.error.message and "read, shelf" in result.error.message


def test_a_run_again_brings_what_changed_on_each_side_and_undoes_by_its_ref(catalog, calibre_copy, bring_over,
                                                                            calibre_made, tmp_path):
    folder, listed = calibre_copy
    home = tmp_path / "calibre-home"
    bring_over(catalog, folder, read_column="read")
    library = LibraryService(catalog)
    books = _books(library)
    library.edit(books[1].id, "publisher", "Our Press")  # BookDesk and calibre both change it: review
    library.edit(books[2].id, "tags", ["Comedy", "Favourite"])  # BookDesk alone: it stays

    calibredb(home, "set_metadata", "--with-library", str(folder), "--field", "title:A New Title",
              "--field", "publisher:Their Press", "1")
    calibredb(home, "set_metadata", "--with-library", str(folder), "--field", "rating:5", "2")
    calibredb(home, "set_custom", "--with-library", str(folder), "read", "2", "true")
    calibredb(home, "remove", "--with-library", str(folder), "3")
    added = next((calibre_made[0].parent / "books").glob("*.epub"))
    calibredb(home, "add", "--with-library", str(folder), "--duplicates", str(added))
    before = tree(folder)

    again = bring_over(catalog, folder, read_column="read")
    assert (again.count("added"), again.updated, again.reviewed, again.removed) == (1, 2, 1, 1)
    now = _books(library)
    assert now[1].title == "A New Title" and now[1].publisher == "Our Press"
    assert now[2].rating == 10 and now[2].read_state == "finished" and now[2].tags == ("Comedy", "Favourite")
    assert 3 not in now and 4 in now
    review = library.reviews()[0]
    assert review.work_id == now[1].id
    assert review.candidates[0]["proposals"] == [{"field": "publisher", "current": "Our Press",
                                                  "proposed": "Their Press", "source": "user"}]
    assert {c.source for c in library.history(now[1].id) if c.field == "title"} == {"calibre"}
    assert tree(folder) == before

    library.undo_job(again.correlation_id)
    back = _books(library)
    assert back[1].title == listed[0]["title"] and back[2].rating == 6
    assert 3 in back and 4 not in back
    assert tree(folder) == before


def test_a_text_column_is_not_offered_as_the_read_state(catalog, calibre_copy, run_job, tmp_path):
    folder, _ = calibre_copy
    calibredb(tmp_path / "home", "add_custom_column", "--with-library", str(folder), "mood", "Mood", "text")
    importer = CalibreImportService(catalog)
    result, _ = run_job(catalog, lambda ctx: importer.preview(ctx, folder, "in-place", "mood"))
    assert result.state == "failed"
    assert "no yes/no or choice column 'mood'" in result.error.message
