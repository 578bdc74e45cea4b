"""Undoing a job from the Activity view as a person does: the view shown, the job found and selected,
Undo This Job pressed and its question answered Yes."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def undo_in_activity(qtbot, window, correlation_id: str, monkeypatch):  # noqa: ANN001, ANN201 - fixtures, ActivityView
    """Press Undo This Job on ``correlation_id``'s row (checked to be offered) and say Yes; the view."""
    window.show_view("activity")
    activity = window.activity_view
    activity.refresh()
    qtbot.waitUntil(lambda: any(j.correlation_id == correlation_id for j in activity.model.records))
    activity.select_job(correlation_id)
    assert activity.undo_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    activity.undo_button.click()
    return activity
