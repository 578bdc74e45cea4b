"""The one bridge: a slot's coroutine awaits the worker on the GUI's loop; a failure reaches a person."""

from __future__ import annotations

import asyncio
import threading

import shiboken6
from PySide6.QtCore import SIGNAL, QObject
from PySide6.QtWidgets import QDialog

from bookdesk.core import logging_setup
from bookdesk.errors import BookDeskError
from bookdesk.ui import bridge
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter


def test_a_ui_coroutine_awaits_a_job_a_coroutine_and_a_call_on_the_main_thread(qtbot, worker) -> None:
    seen: list[object] = []

    async def job(ctx):
        return "imported"

    async def fetch(n: int) -> int:
        await asyncio.sleep(0)
        return n + 1

    async def slot() -> None:
        seen.append((await worker.submit("test", "A job", job)).value)
        seen.append(await worker.run(fetch, 41))
        seen.append(await worker.call(sorted, [3, 1, 2]))
        seen.append(threading.current_thread() is threading.main_thread())

    bridge.start(slot(), what="Load everything")
    qtbot.waitUntil(lambda: len(seen) == 4)
    assert seen == ["imported", 42, [1, 2, 3], True]


def test_an_exception_in_the_worker_reaches_the_presenter_with_its_ref(qtbot, worker) -> None:
    presenter = ErrorPresenter()
    made = []

    def broken() -> None:
        raise OSError("the share went away")

    async def slot() -> None:
        made.append(worker.call(broken))
        await made[0]

    bridge.start(slot(), what="Scan the folder", presenter=presenter)
    qtbot.waitUntil(lambda: presenter.last_dialog is not None)
    dialog = presenter.last_dialog
    qtbot.addWidget(dialog)
    ref = made[0].correlation_id
    assert dialog.ref_label.text() == f"Ref {ref}"
    assert "the share went away" in dialog.message_label.text()
    assert "Scan the folder failed" in dialog.details.toPlainText()  # the log line with that Ref
    assert any("the share went away" in e["message"] for e in logging_setup.lines_for(ref))


def test_a_bookdesk_error_keeps_its_own_ref_and_message(qtbot, worker) -> None:
    presenter = ErrorPresenter()

    def refused() -> None:
        raise BookDeskError("The library is read-only.", correlation_id="BD-RRRRR")

    async def slot() -> None:
        await worker.call(refused)

    bridge.start(slot(), what="Save the edit", presenter=presenter)
    qtbot.waitUntil(lambda: presenter.last_dialog is not None)
    qtbot.addWidget(presenter.last_dialog)
    assert presenter.last_dialog.ref_label.text() == "Ref BD-RRRRR"
    assert presenter.last_dialog.message_label.text() == "The library is read-only."


def test_closing_the_owner_cancels_its_task_and_shows_nothing(qtbot, worker) -> None:
    presenter = ErrorPresenter()
    started, after = threading.Event(), []

    async def slow() -> None:
        started.set()
        await asyncio.sleep(3600)

    async def slot() -> None:
        await worker.run(slow)
        after.append("carried on")

    owner = QDialog()
    task = bridge.start(slot(), what="Search", presenter=presenter, owner=owner)
    qtbot.waitUntil(started.is_set)
    owner.deleteLater()
    qtbot.waitUntil(task.done)
    assert after == [] and presenter.dialogs == []


def test_an_owner_keeps_no_more_from_many_tasks_than_from_one(qtbot, worker) -> None:
    owner, shown = QObject(), []

    async def read(n: int) -> None:
        shown.append(await worker.call(int, n))

    def links() -> int:
        return owner.receivers(SIGNAL("destroyed(QObject*)"))

    first = bridge.start(read(0), what="Read", owner=owner)
    qtbot.waitUntil(first.done)
    after_one = links()
    # A view starts a read on every reload: the reads that ended leave nothing more on their owner.
    # (Forty, not hundreds: PySide6 6.12 on Python 3.11 drops a reference to True on every signal
    # emitted, one per hop back from the worker, and enough of them abort the interpreter at exit.)
    tasks = [bridge.start(read(n), what="Read", owner=owner) for n in range(1, 40)]
    qtbot.waitUntil(lambda: all(t.done() for t in tasks), timeout=20_000)
    assert len(shown) == 40
    assert links() == after_one


def test_a_job_that_ends_after_its_window_closed_calls_nothing_in_it(qtbot, worker) -> None:
    go, heard, elsewhere = threading.Event(), [], []

    async def job(ctx):
        await asyncio.get_running_loop().run_in_executor(None, go.wait, 30)
        return "done"

    window = QDialog()
    handle = worker.submit("test", "A long job", job)
    bridge.after_job(handle, lambda cid, result: heard.append(result.value), owner=window)
    # Told after the window would be: once this one has heard, the window would have too.
    bridge.after_job(handle, lambda cid, result: elsewhere.append(result.value))
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))
    go.set()
    qtbot.waitUntil(lambda: elsewhere == ["done"], timeout=30_000)
    assert heard == []
