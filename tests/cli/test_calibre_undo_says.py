"""``bookdesk undo REF`` of a calibre run that, in the end, only linked books already here to their calibre
books (each field it filled was set back one by one in History since) takes the links back and says so, in
words and in --json, as any other undo says what it undid. On a library made by the real calibredb."""

from __future__ import annotations

import json

from bookdesk.core.library_service import LibraryService
from bookdesk.data.calibre_repository import CalibreRepository
from bookdesk.data.work_repository import WorkRepository
from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture  # noqa: F401 - fixtures


def _import_files(run_cli, folder, library, listed) -> None:
    """The calibre folder's files imported as any folder of books is, copied (calibre's test PDF is not a
    readable one: that file fails, its book comes by its EPUB)."""
    done = json.loads(run_cli("import", folder, "--library", library, "--json").stdout)
    assert sum(1 for item in done["items"] if item["status"] == "added") == len(listed)


def _set_back_each_field(library, correlation_id: str) -> None:
    """What a person does in History: every field the run filled, put back one change at a time."""
    service = LibraryService.open(library, create=False)
    try:
        with service.catalog.read() as session:
            changes = WorkRepository(session).changes_of(correlation_id)
        assert changes  # the run filled fields the books here lacked
        for change in changes:
            service.undo(change.id)
    finally:
        service.close()


def _links(library) -> int:
    service = LibraryService.open(library, create=False)
    try:
        with service.catalog.read() as session:
            return len(CalibreRepository(session).links())
    finally:
        service.close()


def test_undo_of_a_run_that_only_linked_books_says_the_links_it_took_back(run_cli, calibre_copy, tmp_path):
    folder, listed = calibre_copy
    library = tmp_path / "Books"
    _import_files(run_cli, folder, library, listed)
    run = json.loads(run_cli("calibre", "import", folder, "--library", library, "--json").stdout)
    assert run["attached"] == len(listed)
    _set_back_each_field(library, run["correlation_id"])
    assert _links(library) == len(listed)

    done = run_cli("undo", run["correlation_id"], "--library", library, "--json")

    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["calibre_links_undone"] == len(listed) and said["changes_undone"] == 0
    assert _links(library) == 0
    again = run_cli("undo", run["correlation_id"], "--library", library)
    assert again.returncode == 1 and "no change that can be undone" in again.stderr


def test_undo_of_a_linking_run_says_it_in_words(run_cli, calibre_copy, tmp_path):
    folder, listed = calibre_copy
    library = tmp_path / "Books"
    _import_files(run_cli, folder, library, listed)
    run = json.loads(run_cli("calibre", "import", folder, "--library", library, "--json").stdout)
    _set_back_each_field(library, run["correlation_id"])

    done = run_cli("undo", run["correlation_id"], "--library", library)

    assert done.returncode == 0, done.stderr
    assert f"Undid {run['correlation_id']}: {len(listed)} links to calibre taken back" in done.stdout
