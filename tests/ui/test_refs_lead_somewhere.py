"""A Ref a person is shown leads somewhere: the Ref of a file that failed has that file's reason in its log
lines, and Activity finds the job of a Ref typed into its search field."""

from __future__ import annotations

import shutil
from pathlib import Path

from bookdesk.core import logging_setup
from tests.ui.test_downloads_view import books_server, read_again, rows  # noqa: F401 - a fixture


def test_the_ref_of_a_file_that_failed_holds_its_reason_and_activity_finds_it(qtbot, make_window, service, corpus,
                                                                             tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(sorted(corpus.glob("*.epub"))[0], batch)
    (batch / "broken.epub").write_bytes(b"PK\x03\x04 this is not really a zip")
    window = make_window(service)
    window.imports.start([batch])
    qtbot.waitUntil(lambda: window.imports.preview_dialog is not None, timeout=20000)
    window.imports.preview_dialog.import_button.click()
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None, timeout=20000)
    summary = window.imports.summary_dialog
    ref = summary.failures.index(0, 2).data()

    lines = logging_setup.format_lines(logging_setup.lines_for(ref))
    assert "broken.epub" in lines, lines

    window.show_view("activity")
    activity = window.activity_view
    qtbot.keyClicks(activity.search, ref.lower())  # as typed, in any case
    qtbot.waitUntil(lambda: activity.selected_job() == ref)
    assert activity.model.rowCount() == 1
    qtbot.waitUntil(lambda: "broken.epub" in activity.log.toPlainText())


def test_the_ref_of_a_download_is_found_in_activity_with_its_log(qtbot, make_window, service,
                                                                  books_server) -> None:  # noqa: F811
    window = make_window(service)
    dialog = window.download_from_addresses()
    qtbot.addWidget(dialog)
    dialog.addresses.setPlainText(f"{books_server.url}/books/broken.epub\n")
    dialog.accept()
    downloads = window.downloads_view

    def failed() -> bool:
        read_again(qtbot, downloads)
        return rows(downloads).get("broken.epub", [None, None])[1] == "Failed"

    qtbot.waitUntil(failed, timeout=20_000)
    ref = rows(downloads)["broken.epub"][7]
    assert ref.startswith("BD-")

    window.show_view("activity")
    activity = window.activity_view
    qtbot.keyClicks(activity.search, ref)
    qtbot.waitUntil(lambda: activity.selected_job() == ref)
    assert activity.model.index(0, 0).data() == "Failed"
    assert "broken.epub" in activity.model.index(0, 1).data()
    qtbot.waitUntil(lambda: "broken.epub" in activity.log.toPlainText() or "HTML" in activity.log.toPlainText())
