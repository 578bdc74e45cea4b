"""A new library's views say what each is for and what to do next, instead of showing empty tables."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("view", ["library", "series", "authors", "wanted", "downloads", "activity"])
def test_every_view_of_an_empty_library_explains_itself(qtbot, make_window, service, view):
    window = make_window(service)
    window.show_view(view)
    shown = window.views[view]
    shown.refresh()
    empty = getattr(shown, "empty", None)
    assert empty is not None, f"the {view} view has no empty state"
    qtbot.waitUntil(empty.isVisible)  # the Series, Authors and Wanted views read their rows on the worker
    assert empty.title.text() and len(empty.hint.text()) > 40


def test_the_activity_view_fills_once_something_happens_and_sync_now_starts_it(qtbot, make_window, service):
    window = make_window(service)
    window.show_view("activity")
    view = window.activity_view
    assert view.empty.isVisible()
    with qtbot.waitSignal(window.automation.synced, timeout=30_000):
        next(b for b in view.empty.findChildren(type(view.undo_button)) if b.text() == "Sync Now").click()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    assert not view.empty.isVisible()
