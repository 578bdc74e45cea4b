"""The heavy part of opening a library, off the GUI thread: importing SQLAlchemy, the models and the core
services, opening the catalog (with its backup and migration when an older BookDesk wrote it) and
building the services over it. None of it makes a Qt object, so it runs on a plain thread while the
window's frame stays alive (moved, resized, repainted, its disabled actions doing nothing); whatever
makes Qt objects (the worker bridge, the views, ``MainWindow.attach``) comes after, on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer

from bookdesk.fault_points import reach

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from bookdesk.core.library_service import LibraryService
    from bookdesk.core.library_services import LibraryServices
    from bookdesk.core.worker import Worker

UPGRADING = "Upgrading the catalog (a backup is kept)…"
CHECK_EVERY_MS = 20  # how soon the frame hears the open is done, or what it is doing


@dataclass
class OpenedServices:
    """A library's service (the catalog, its lock held), its started worker and the services over them."""

    service: LibraryService
    worker: Worker
    services: LibraryServices


def open_services(library: Path, say: Callable[[str], None] = lambda _text: None) -> OpenedServices:
    """Open ``library`` and build its core services; ``say`` hears what takes long (an upgrade). No Qt:
    it may run on any thread. Refusals (locked, too new, empty catalog…) are raised as they were."""
    from bookdesk.core.library_service import LibraryService
    from bookdesk.core.library_services import LibraryServices
    from bookdesk.core.settings import load_settings
    from bookdesk.core.worker import Worker
    from bookdesk.data.catalog_file import pending_upgrade
    from bookdesk.platform.keyring_store import system_secret_store

    if pending_upgrade(library) is not None:
        say(UPGRADING)
    reach("library.open")
    service = LibraryService.open(library)
    try:
        worker = Worker(service.catalog)
        worker.start()
        try:
            services = LibraryServices(service, worker, load_settings(), system_secret_store())
        except BaseException:
            worker.stop()
            raise
    except BaseException:
        service.close()
        raise
    return OpenedServices(service, worker, services)


def open_services_beside(library: Path, frame: QMainWindow) -> OpenedServices:
    """``open_services`` on a plain thread while the GUI thread's events go on (the frame repaints, its
    status bar says what is happening); its result, or its exception, once it is done."""
    outcome: dict[str, object] = {}
    saying: list[str] = []

    def run() -> None:
        try:
            outcome["opened"] = open_services(library, saying.append)
        except BaseException as exc:  # noqa: BLE001 - raised again on the GUI thread, as before
            outcome["refusal"] = exc

    thread = threading.Thread(target=run, name="bookdesk-open-library", daemon=True)
    waiting = QEventLoop()
    timer = QTimer()
    timer.setInterval(CHECK_EVERY_MS)

    def check() -> None:
        while saying:
            frame.statusBar().showMessage(saying.pop(0))
        if not thread.is_alive():
            waiting.quit()

    timer.timeout.connect(check)
    thread.start()
    timer.start()
    try:
        if thread.is_alive():
            waiting.exec()
    finally:
        timer.stop()
    thread.join()  # a quit asked meanwhile (the frame closed) ends the loop early: the open still finishes
    if "refusal" in outcome:
        raise outcome["refusal"]  # type: ignore[misc]
    return outcome["opened"]  # type: ignore[return-value]
