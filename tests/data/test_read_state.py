"""A book's read state: a field like any other (recorded, undone), and every book of an older catalog
starts unread (migration 0008)."""

from __future__ import annotations

import pytest

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import NewWork
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import UsageError
from tests.data.old_catalogs import catalog_at


def _add(service: LibraryService, title: str) -> int:
    with service.catalog.write() as session:
        return WorkRepository(session).add(NewWork(title=title))


def test_a_new_book_is_unread_and_its_read_state_is_edited_and_undone(service: LibraryService) -> None:
    work_id = _add(service, "Ash")
    assert service.detail(work_id).read_state == "unread"
    assert service.rows([work_id])[0].read_state == "unread"

    change = service.edit(work_id, "read_state", "finished")

    assert change is not None and (change.old_value, change.new_value) == ("unread", "finished")
    assert service.rows([work_id])[0].read_state == "finished"
    service.undo(change.id)
    assert service.detail(work_id).read_state == "unread"


def test_a_read_state_outside_the_three_is_refused(service: LibraryService) -> None:
    work_id = _add(service, "Ash")
    with pytest.raises(UsageError, match="unread, reading, finished"):
        service.edit(work_id, "read_state", "half")
    assert service.detail(work_id).read_state == "unread"


def test_books_of_a_catalog_at_0007_open_unread(library_dir) -> None:  # noqa: ANN001 - Path
    catalog_at(library_dir, "0007", [
        "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
        "authors_display, author_key, series_display, series_key, formats, rating) VALUES (1, 'Ash', 'Ash', "
        "'owned', '', '2026-01-01', '2026-01-01', 'ash', '', '', '', '', 'EPUB', 8)"])

    service = LibraryService.open(library_dir)
    try:
        row = service.rows([1])[0]
        assert (row.read_state, row.rating) == ("unread", 8)
    finally:
        service.close()
