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


def test_a_books_calibre_columns_show_in_its_details_named_after_each_column(qtbot, make_window, service,
                                                                            calibre_copy, run_job) -> None:
    from bookdesk.core.calibre.service import CalibreImportService

    folder, _ = calibre_copy
    importer = CalibreImportService(service.catalog)
    run_job(service.catalog, lambda ctx: importer.run(ctx, folder))
    first = next(d for d in service.details(service.work_ids()) if d.identifiers.get("calibre_id") == "1")
    window = make_window(service)
    pane = window.library_view.detail
    pane.show_work(first.id)
    shown = {pane.custom_form.itemAt(row, pane.custom_form.ItemRole.LabelRole).widget().text():
             pane.custom_form.itemAt(row, pane.custom_form.ItemRole.FieldRole).widget().text()
             for row in range(pane.custom_form.rowCount())}
    assert shown == {"Read:": "Yes", "Shelf:": "Next", "Moods:": "dark, quiet", "Pages:": "205",
                     "Started:": "2020-01-02", "Notes:": "Loved it"}
    other = next(d for d in service.details(service.work_ids()) if d.identifiers.get("calibre_id") == "3")
    pane.show_work(other.id)
    assert pane.custom_form.rowCount() == 0  # a book without values shows no calibre columns


def test_a_preview_carried_out_after_the_follow_job_says_what_it_brought(qtbot, make_window, service, calibre_copy,
                                                                        run_job) -> None:
    from bookdesk.core.calibre.service import CalibreImportService

    folder, listed = calibre_copy
    window = make_window(service)
    window.calibre.start(folder)
    qtbot.waitUntil(lambda: window.calibre.preview_dialog is not None, timeout=60000)
    importer = CalibreImportService(service.catalog)
    result, _ = run_job(service.catalog, lambda ctx: importer.run(ctx, folder))  # the follow job, meanwhile
    other = result.value.correlation_id

    window.calibre.preview_dialog.import_button.click()

    qtbot.waitUntil(lambda: window.calibre.summary_dialog is not None, timeout=60000)
    said = f"{len(listed)} books the preview offered were brought over meanwhile (Ref {other})"
    assert said in window.calibre.summary_dialog.headline.text()
    assert said in window.jobs.label.text()
