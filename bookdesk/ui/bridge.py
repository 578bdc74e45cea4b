"""The one door between the worker thread and the widgets.

Three ways across, and no other:

- Job events: core listeners are called on whatever thread the job runs on; ``JobBridge`` lives on
  the main thread, so emitting ``job_event`` from elsewhere queues it to the main thread.
- Results: a slot starts an ``async def`` with ``bridge.start(self._load(), what="Load the feed")``;
  it runs on the GUI's qasync loop, ``await``s the worker (``await worker.call(fn)``,
  ``await worker.run(coro_fn)``, ``await worker.submit(...)``) and carries on on the main thread.
  An exception it lets out reaches the ErrorPresenter (or the log) with its Ref. ``after_job``
  calls a function with a job's result once it ends.
- News from any thread that nobody awaits (an exception hook, catalog damage): ``to_gui``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
import threading
import weakref
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from bookdesk.core.jobs import JobEvent, JobResult
from bookdesk.core.submission import log_failure
from bookdesk.core.worker import JobHandle, WorkerStopped
from bookdesk.ui.gui_loop import gui_loop

if TYPE_CHECKING:
    from bookdesk.ui.dialogs.error_dialog import ErrorPresenter

log = logging.getLogger(__name__)

# Tasks still running: the loop holds only weak references to its tasks, and a task nobody holds can
# vanish mid-await.
_running: set[asyncio.Task] = set()
# Each owner's running tasks (see _owned_by); an owner's entry goes with its Python wrapper.
_owners: weakref.WeakKeyDictionary[QObject, weakref.WeakKeyDictionary[asyncio.Task, Coroutine[Any, Any, Any]]] = \
    weakref.WeakKeyDictionary()


def start(coro: Coroutine[Any, Any, Any], *, what: str, presenter: ErrorPresenter | None = None,
          owner: QObject | None = None, quiet: bool = False) -> asyncio.Task:
    """Run ``coro`` on the GUI's loop; call from the main thread. ``what`` names it in the log.
    An exception it raises is logged with its Ref and shown by ``presenter``, or without one goes to
    ``sys.excepthook`` as an exception raised in a slot does (the app's hook is the presenter); with
    ``quiet`` it is only logged (a look that is tried again soon, which nobody asked for). When
    ``owner`` (a dialog, say) is destroyed, the task is cancelled, and so is the worker call it awaits."""
    task = gui_loop().create_task(_guarded(coro, what, presenter, quiet))
    _running.add(task)
    if owner is not None:
        _owned_by(owner)[task] = coro
    return task


def _owned_by(owner: QObject) -> weakref.WeakKeyDictionary[asyncio.Task, Coroutine[Any, Any, Any]]:
    """The owner's tasks still running (with their coroutines), behind one ``destroyed`` connection for
    the owner's life: an owner lives long and starts many tasks (a view reads on every reload), and
    holds none of them. One connection per owner also costs less than one per task, dropped when it
    ends (and PySide6 6.12's disconnect lost a reference to ``True`` each time: see pyproject.toml)."""
    tasks = _owners.get(owner)
    if tasks is None:
        tasks = _owners[owner] = weakref.WeakKeyDictionary()
        owner.destroyed.connect(lambda *_: _cancel_all(tasks))
    return tasks


def _cancel_all(tasks: weakref.WeakKeyDictionary[asyncio.Task, Coroutine[Any, Any, Any]]) -> None:
    for task, coro in list(tasks.items()):
        task.cancel()
        if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
            coro.close()  # cancelled before it began: nothing to unwind, and not "never awaited"


def after_job(handle: JobHandle, then: Callable[[str, JobResult], object], *,
              presenter: ErrorPresenter | None = None, owner: QObject | None = None) -> str:
    """Call ``then(correlation_id, result)`` on the main thread once the job ends (the JobResult says
    how; a failed job is shown by the window like any other); returns the job's correlation id. When
    ``owner`` (whose method ``then`` is, say) is destroyed first, ``then`` is not called; the job runs on."""
    async def follow() -> None:
        then(handle.correlation_id, await handle)  # the handle shields its job from this cancel

    start(follow(), what=f"After {handle.what}", presenter=presenter, owner=owner)
    return handle.correlation_id


def to_gui(receiver: QObject, fn: Callable[..., object]) -> Callable[..., None]:
    """Made on the main thread: a function any thread may call to have ``fn(*args)`` run on the main
    thread, as a signal would: at once when called there, else queued through the GUI's loop, and
    dropped if ``receiver`` is deleted by then. For news no one awaits (an exception hook, damage
    found by a catalog write)."""
    loop, main = gui_loop(), threading.current_thread()

    def run(*args: Any) -> None:
        if shiboken6.isValid(receiver):
            fn(*args)

    def post(*args: Any) -> None:
        if threading.current_thread() is main:
            run(*args)
        else:
            loop.call_soon_threadsafe(run, *args)

    return post


async def _guarded(coro: Coroutine[Any, Any, Any], what: str, presenter: ErrorPresenter | None,
                   quiet: bool) -> None:
    try:
        await coro
    except (asyncio.CancelledError, WorkerStopped):
        log.debug("%s: stopped, its window or the worker gone", what)  # nobody is left to tell
    except Exception as exc:
        log_failure(what, exc)
        if quiet:
            return
        if presenter is not None:
            presenter.report_exception(exc)
        else:  # as an exception raised in a slot: the app's hook shows it (ErrorPresenter.install_hooks)
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        _running.discard(asyncio.current_task())  # type: ignore[arg-type]


class JobBridge(QObject):
    job_event = Signal(object)  # JobEvent

    def __init__(self, parent: QObject | None = None, presenter: ErrorPresenter | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter

    def listener(self, event: JobEvent) -> None:
        self.job_event.emit(event)

    def start(self, coro: Coroutine[Any, Any, Any], *, what: str, owner: QObject | None = None,
              quiet: bool = False) -> asyncio.Task:
        """``start`` with this window's presenter."""
        return start(coro, what=what, presenter=self.presenter, owner=owner, quiet=quiet)
