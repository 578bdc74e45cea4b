"""The one door between the worker thread and the widgets.

Two ways across, and no other:

- Job events: core listeners are called on whatever thread the job runs on; ``JobBridge`` lives on
  the main thread, so emitting ``job_event`` from elsewhere queues it to the main thread.
- Results: a slot starts an ``async def`` with ``bridge.start(self._load(), what="Load the feed")``;
  it runs on the GUI's qasync loop, ``await``s the worker (``await worker.call(fn)``,
  ``await worker.run(coro_fn)``, ``await worker.submit(...)``) and carries on on the main thread.
  An exception it lets out reaches the ErrorPresenter (or the log) with its Ref.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from bookdesk.core.jobs import JobEvent
from bookdesk.core.submission import log_failure
from bookdesk.ui.gui_loop import gui_loop

if TYPE_CHECKING:
    from bookdesk.ui.dialogs.error_dialog import ErrorPresenter

log = logging.getLogger(__name__)

# Tasks still running: the loop holds only weak references to its tasks, and a task nobody holds can
# vanish mid-await.
_running: set[asyncio.Task] = set()


def start(coro: Coroutine[Any, Any, Any], *, what: str, presenter: ErrorPresenter | None = None,
          owner: QObject | None = None) -> asyncio.Task:
    """Run ``coro`` on the GUI's loop; call from the main thread. ``what`` names it in the log.
    An exception it raises is logged with its Ref and shown by ``presenter`` (when given). When
    ``owner`` (a dialog, say) is destroyed, the task is cancelled, and so is the worker call it awaits."""
    task = gui_loop().create_task(_guarded(coro, what, presenter))
    _running.add(task)
    if owner is not None:
        alive = weakref.ref(task)  # the owner may outlive many tasks: hold none of them
        owner.destroyed.connect(lambda *_: (t := alive()) is not None and t.cancel())
    return task


async def _guarded(coro: Coroutine[Any, Any, Any], what: str, presenter: ErrorPresenter | None) -> None:
    try:
        await coro
    except asyncio.CancelledError:
        pass  # its window went away, or the app is closing: nobody is left to tell
    except Exception as exc:
        log_failure(what, exc)
        if presenter is not None:
            presenter.report_exception(exc)
    finally:
        _running.discard(asyncio.current_task())  # type: ignore[arg-type]


class JobBridge(QObject):
    job_event = Signal(object)  # JobEvent

    def __init__(self, parent: QObject | None = None, presenter: ErrorPresenter | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter

    def listener(self, event: JobEvent) -> None:
        self.job_event.emit(event)

    def start(self, coro: Coroutine[Any, Any, Any], *, what: str, owner: QObject | None = None) -> asyncio.Task:
        """``start`` with this window's presenter."""
        return start(coro, what=what, presenter=self.presenter, owner=owner)
