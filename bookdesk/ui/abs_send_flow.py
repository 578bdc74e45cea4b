"""Send to Audiobookshelf… (the Book menu and the Library's context menu): the selected books' files to a
library of a server the person chooses, as a job with its progress in Activity and a Ref
(``core/audiobookshelf/send.py``). The servers' libraries are asked on the worker, never on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from bookdesk.core.audiobookshelf.config import find
from bookdesk.core.audiobookshelf.send import SendTarget
from bookdesk.ui import bridge

if TYPE_CHECKING:
    from bookdesk.ui.main_window import MainWindow

NO_SERVER = "No Audiobookshelf server is set up: add one in Settings → Sources & Clients → Audiobookshelf."


def send_to_abs(window: MainWindow, ids: list[int]) -> None:
    bridge.start(_choose(window, ids), what="Send to Audiobookshelf", presenter=window.presenter, owner=window)


async def _choose(window: MainWindow, ids: list[int]) -> None:
    from bookdesk.ui.dialogs.abs_send_dialog import AbsSendDialog

    if not find(window.settings.audiobookshelf_servers, None):
        window.jobs.say(NO_SERVER)
        return
    window.jobs.say("Asking the Audiobookshelf servers for their libraries…")
    targets, problems = await window.worker.run(window.services.abs_send_targets)
    if not targets:
        window.jobs.say(" ".join(problems) or "The Audiobookshelf servers have no book library to send to.")
        return
    dialog = AbsSendDialog(targets, len(ids), problems, window)
    dialog.accepted.connect(lambda: bridge.start(_send(window, dialog.chosen(), ids), what="Send to Audiobookshelf",
                                                 presenter=window.presenter, owner=window))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a child of the window only while it is open
    dialog.open()


async def _send(window: MainWindow, target: SendTarget, ids: list[int]) -> None:
    services = window.services
    result = await window.worker.submit("abs-send", f"Send to {target.label}",
                                        lambda ctx: services.send_to_abs(ctx, target, ids))
    if result.state != "succeeded":
        return  # the status bar and the error dialog say why, with its Ref (JobStatus)
    report = result.value
    for work_id in report.changed:
        window.library_view.book_changed(work_id)  # its "On server" column shows the server now
    window.jobs.say(f"{report.summary()} (Ref {report.correlation_id})")
