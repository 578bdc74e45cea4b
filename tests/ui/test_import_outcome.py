"""What an import that failed says: the status bar, the summary and Activity agree on what really happened."""

from __future__ import annotations

from pathlib import Path

from bookdesk.fault_points import FAIL_ENV


def _preview_and_import(qtbot, window, folder: Path) -> None:  # noqa: ANN001
    window.imports.start([folder])
    qtbot.waitUntil(lambda: window.imports.preview_dialog is not None, timeout=60000)
    window.imports.preview_dialog.import_button.click()


def test_an_import_the_library_refuses_says_it_failed_and_added_nothing(qtbot, make_window, service, make_book,
                                                                        tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "incoming"
    for title in ("One", "Two", "Three"):
        make_book(title, folder=folder)
    window = make_window(service)
    monkeypatch.setenv(FAIL_ENV, "import.before_journal")  # the library's disk refuses the write, even to root

    _preview_and_import(qtbot, window, folder)

    qtbot.waitUntil(lambda: "Import failed" in window.jobs.label.text(), timeout=60000)
    qtbot.wait(200)  # let the flow's own words arrive too, if it has any
    status = window.jobs.label.text()
    assert "nothing added" in status and "BD-" in status, status
    assert "Undo" not in status and " 3 added" not in status, status
    summary = window.imports.summary_dialog
    assert summary is None or ("failed" in summary.windowTitle().lower() and "3 added" not in summary.headline.text())
    window.show_view("activity")
    activity = window.activity_view
    job = next(r for r, j in enumerate(activity.model.records) if j.kind == "import")
    assert activity.model.index(job, 0).data() == "Failed"
    assert "nothing added" in activity.model.index(job, 5).data()
    assert window.library_view.model.rowCount() == 0
