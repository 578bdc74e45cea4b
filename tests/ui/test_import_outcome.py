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


def test_an_import_stopped_midway_says_how_many_it_added_and_how_many_failed(qtbot, make_window, service, make_book,
                                                                             tmp_path: Path, monkeypatch) -> None:
    from bookdesk.core.importer import batch_commit

    folder = tmp_path / "incoming"
    for title in ("One", "Two", "Three"):
        make_book(title, folder=folder)
    window = make_window(service)
    monkeypatch.setattr(batch_commit, "BATCH", 1)  # a batch a book: the first is in before the disk refuses
    reached = []

    def refuse_after_the_first(point: str) -> None:
        reached.append(point)
        if len(reached) > 1:
            raise OSError(30, "Read-only file system")

    monkeypatch.setattr(batch_commit, "reach", refuse_after_the_first)

    _preview_and_import(qtbot, window, folder)

    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None, timeout=60000)
    summary = window.imports.summary_dialog
    assert summary.windowTitle() == "Import failed"
    assert "1 added, 2 failed" in summary.headline.text() and "Read-only" in summary.headline.text()
    assert summary.undo_button.isEnabled()  # the book it did add can be taken back out
    status = window.jobs.label.text()
    assert "Import failed — 1 added, 2 failed" in status and "Undo" in status, status
    window.show_view("activity")
    activity = window.activity_view
    job = next(r for r, j in enumerate(activity.model.records) if j.kind == "import")
    assert activity.model.index(job, 0).data() == "Failed"
    assert "1 added, 2 failed" in activity.model.index(job, 5).data()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == 1)
