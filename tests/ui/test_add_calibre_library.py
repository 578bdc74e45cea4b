"""File → Add a calibre Library…: a preview of a library made by the real calibredb, then its books in the
Library, through the one bridge to the worker; calibre's files untouched."""

from __future__ import annotations

from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture  # noqa: F401 - fixtures
from tests.conftest import tree


def test_a_calibre_library_is_previewed_then_brought_over(qtbot, make_window, service, calibre_copy) -> None:
    folder, listed = calibre_copy
    before = tree(folder)
    window = make_window(service)
    assert window.add_calibre_action.text() == "Add a &calibre Library…"

    window.calibre.start(folder)
    qtbot.waitUntil(lambda: window.calibre.preview_dialog is not None, timeout=60000)
    dialog = window.calibre.preview_dialog
    assert dialog.model.rowCount() == len(listed)
    titles = {dialog.model.index(row, 1).data() for row in range(dialog.model.rowCount())}
    assert titles == {book["title"] for book in listed}
    assert dialog.import_button.text() == f"Bring Over {len(listed)} Books"
    assert window.library_view.model.rowCount() == 0  # a preview changes nothing
    assert dialog.chosen_read_column() == "read"  # the yes/no column named Read, offered first

    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == len(listed), timeout=60000)
    qtbot.waitUntil(lambda: "from calibre" in window.jobs.label.text(), timeout=60000)
    assert f"{len(listed)} added" in window.jobs.label.text()
    states = sorted(d.read_state for d in service.details(service.work_ids()))
    assert states == ["finished", "unread", "unread"]  # calibre's #read said yes for one
    assert tree(folder) == before


def test_a_folder_that_is_not_a_calibre_library_is_said_with_its_ref(qtbot, make_window, service, tmp_path) -> None:
    window = make_window(service)
    window.calibre.start(tmp_path)
    qtbot.waitUntil(lambda: bool(window.presenter.dialogs), timeout=60000)
    shown = window.presenter.dialogs[-1]
    assert "is not a calibre library" in shown.message_label.text()
    assert shown.ref_label.text().startswith("Ref BD-")
    assert window.calibre.preview_dialog is None
