"""Remove from Library, Remove Format, Merge Books and Split Format from the window.

The entry points the Delete key, the menus, the context menus and the toolbar call:
``remove_books(window, work_ids)``, ``remove_format(window, work_id)``, ``merge_books(window, work_ids)``,
``split_format(window, work_id)``. Each reads what it must show on the worker, asks first (never a
silent delete: how many books and files, and where the files go), then runs as a job on the worker
(core/removal/, one Ref in Activity), refreshes the views and says the result and its Ref in the
status bar. Edit → Undo and Activity's Undo revert it by that Ref.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from bookdesk.core.jobs import JobResult
from bookdesk.core.removal.report import RemovalReport, plural
from bookdesk.ui import bridge
from bookdesk.ui.dialogs.removal_dialogs import FormatChooser, MergeDialog, RemoveBooksDialog

if TYPE_CHECKING:
    from bookdesk.ui.main_window import MainWindow

# What Edit → Undo names each action after.
_UNDO_NAMES = {"remove": "removal", "remove-format": "format removal", "merge": "merge", "split": "split"}


def remove_books(window: MainWindow, work_ids: list[int]) -> None:
    ids = list(dict.fromkeys(work_ids))
    if not ids:
        window.jobs.say("Select the books to remove first.")
        return
    window.bridge.start(_ask_remove(window, ids), what="Remove from Library", owner=window)


def remove_format(window: MainWindow, work_id: int) -> None:
    window.bridge.start(_ask_format(window, work_id, split=False), what="Remove Format", owner=window)


def split_format(window: MainWindow, work_id: int) -> None:
    window.bridge.start(_ask_format(window, work_id, split=True), what="Split Format", owner=window)


def merge_books(window: MainWindow, work_ids: list[int]) -> None:
    ids = list(dict.fromkeys(work_ids))
    if len(ids) < 2:
        window.jobs.say("Select two or more books that are one work to merge them.")
        return
    window.bridge.start(_ask_merge(window, ids), what="Merge Books", owner=window)


# ----- asking ------------------------------------------------------------------------------------


async def _ask_remove(window: MainWindow, ids: list[int]) -> None:
    removal = window.services.removal
    plan = await window.worker.call(removal.plan, ids)
    if not plan.books:
        window.jobs.say("Those books are no longer in the library.")
        return
    dialog = _shown(RemoveBooksDialog(window, plan))

    def remove() -> None:  # what the dialog says when Remove is pressed
        keep = dialog.keep_files()
        _run(window, "remove", f"Remove {plural(plan.books, 'book')}", lambda: removal.remove(ids, keep_files=keep))

    dialog.accepted.connect(remove)


async def _ask_format(window: MainWindow, work_id: int, *, split: bool) -> None:
    removal = window.services.removal
    detail = await window.worker.call(window.service.detail, work_id)
    if len(detail.files) < 2:  # a book keeps one format at least: Remove from Library takes the whole book
        why = "nothing to split out" if split else "no format to remove (Remove from Library takes the whole book)"
        window.jobs.say(f"“{detail.title}” has {plural(len(detail.files), 'file')}: {why}.")
        return
    if split:
        dialog = _shown(FormatChooser(window, detail, detail.files, title="Split Format", action="Split Out",
                                      question="Which format of “{title}” becomes a book of its own, with the "
                                               "same metadata?", offer_keep=False))
    else:
        dialog = _shown(FormatChooser(window, detail, detail.files, title="Remove Format", action="Remove Format",
                                      question="Which format of “{title}” do you want to remove? The book stays; "
                                               "the file goes to the trash unless you keep it.", offer_keep=True))

    def act() -> None:  # what the dialog says when its button is pressed
        file_id, keep = dialog.file_id(), dialog.keep_file()
        if split:
            _run(window, "split", f"Split a format out of “{detail.title}”", lambda: removal.split(work_id, file_id))
        else:
            _run(window, "remove-format", f"Remove a format of “{detail.title}”",
                 lambda: removal.remove_format(work_id, file_id, keep_file=keep))

    dialog.accepted.connect(act)


async def _ask_merge(window: MainWindow, ids: list[int]) -> None:
    removal = window.services.removal
    details = await window.worker.call(window.service.details, ids)
    if len(details) < 2:
        window.jobs.say("Those books are no longer in the library.")
        return
    dialog = _shown(MergeDialog(window, details))

    def merge() -> None:
        keep = dialog.keep_id()
        others = [d.id for d in details if d.id != keep]
        _run(window, "merge", f"Merge {plural(len(details), 'book')}", lambda: removal.merge(keep, others))

    dialog.accepted.connect(merge)


def _shown(dialog: QDialog) -> QDialog:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # each question is asked anew
    dialog.open()
    return dialog


# ----- doing -------------------------------------------------------------------------------------


def _run(window: MainWindow, kind: str, title: str, act: Callable[[], RemovalReport]) -> str:
    """The action as a job on the worker (files move: never on the GUI thread); its Ref."""
    async def job(ctx) -> RemovalReport:  # noqa: ANN001 - JobContext
        report = await asyncio.to_thread(act)  # the job's Ref goes along (a context variable)
        ctx.summary = report.summary()
        return report

    handle = window.worker.submit(kind, title, job)
    return bridge.after_job(handle, lambda cid, result: _done(window, cid, result), presenter=window.presenter,
                            owner=window)


def _done(window: MainWindow, correlation_id: str, result: JobResult) -> None:
    if result.state != "succeeded":
        return  # the window shows a failed job with its Ref
    report: RemovalReport = result.value
    window.refresh_views()
    changed = bool(report.works or report.files_trashed or report.files_kept)
    if changed:
        window.edits.remember_job(correlation_id, _UNDO_NAMES[report.action])
    summary = report.summary()
    undo = " Edit → Undo puts it back." if changed else ""
    window.jobs.say(f"{summary[0].upper()}{summary[1:]} (Ref {correlation_id}).{undo}")
    if report.failures:  # a book left as it was: the person must hear which and why
        box = QMessageBox(QMessageBox.Icon.Warning, "Not everything was removed",
                          "\n\n".join([*(f.reason for f in report.failures), f"Ref {correlation_id}"]),
                          parent=window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
