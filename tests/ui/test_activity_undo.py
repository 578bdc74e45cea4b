"""Activity's Undo This Job: an undo job's Result says what it did, and a job undone already cannot be
undone again from Activity (its button is off, and its tooltip says why)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bookdesk.core.removal.service import RemovalService
from bookdesk.ui.dialogs.removal_dialogs import RemoveBooksDialog
from bookdesk.ui.removal_flow import remove_books
from tests.ui.activity_harness import undo_in_activity
from tests.ui.test_removal_flow import _second_format


def _removed_by_hand(qtbot, window, work_id: int):  # noqa: ANN001, ANN202
    remove_books(window, [work_id])
    qtbot.waitUntil(lambda: window.findChild(RemoveBooksDialog) is not None)
    qtbot.mouseClick(window.findChild(RemoveBooksDialog).action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Ref BD-" in window.jobs.label.text(), timeout=20000)
    [job] = [j for j in window.service.jobs() if j.kind == "remove"]
    return job


def _result_of(activity, correlation_id: str) -> str:  # noqa: ANN001
    for row, job in enumerate(activity.model.records):
        if job.correlation_id == correlation_id:
            return activity.model.index(row, 5).data()
    return ""


def test_an_undone_job_cannot_be_undone_again_and_the_undo_says_what_it_did(qtbot, make_window, filled_service,
                                                                            monkeypatch):
    service = filled_service
    work_id = service.work_ids()[0]
    file = service.absolute(service.detail(work_id).files[0].path)
    window = make_window(service)
    job = _removed_by_hand(qtbot, window, work_id)
    (Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files" / file.name).unlink()  # the trash emptied since
    activity = undo_in_activity(qtbot, window, job.correlation_id, monkeypatch)

    qtbot.waitUntil(lambda: work_id in service.work_ids(), timeout=20000)
    undo = f"Undo of {job.correlation_id}"
    qtbot.waitUntil(lambda: any(j.title == undo and j.state == "succeeded" for j in service.jobs()), timeout=20000)
    [undo_job] = [j for j in service.jobs() if j.title == undo]
    qtbot.waitUntil(lambda: _result_of(activity, undo_job.correlation_id) != "")
    title = service.detail(work_id).title
    assert _result_of(activity, undo_job.correlation_id) == (
        f"1 book put back, “{title}” is back without its files; 1 thing could not be restored")
    activity.select_job(job.correlation_id)
    qtbot.waitUntil(lambda: not activity.undo_button.isEnabled())
    assert "undone" in activity.undo_button.toolTip()


def test_an_undo_that_must_wait_for_another_says_why_with_its_ref(qtbot, make_window, filled_service):
    service = filled_service
    work_id = service.work_ids()[0]
    extra = _second_format(service, work_id)
    service_removal = RemovalService(service.catalog)
    pdf_id = next(f.id for f in service.detail(work_id).files if f.path == extra)
    format_removal = service_removal.remove_format(work_id, pdf_id)
    book_removal = service_removal.remove([work_id])
    window = make_window(service)

    window.imports.undo(format_removal.correlation_id)

    box = _asked_box(qtbot, window)
    assert "no longer in the library" in box.text() and book_removal.correlation_id in box.text()
    assert "Ref BD-" in box.text().split(book_removal.correlation_id, 1)[1]  # the undo's own Ref too
    assert not service.absolute(extra).exists()


def _asked_box(qtbot, window) -> QMessageBox:  # noqa: ANN001
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=20000)
    return next(b for b in window.findChildren(QMessageBox) if b.isVisible())
