"""A Ref a person is shown leads somewhere: the Ref of a file that failed has that file's reason in its log
lines, and Activity finds the job of a Ref typed into its search field."""

from __future__ import annotations

import shutil
from pathlib import Path

from bookdesk.core import logging_setup


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
