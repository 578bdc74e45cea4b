"""Starting the GUI: the QApplication, the library, the worker, the window and the event loop.

qasync runs asyncio on Qt's event loop, so UI code may ``await`` short core calls.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from bookdesk import APP_NAME, __version__
from bookdesk.core.library_service import LibraryService
from bookdesk.core.worker import Worker
from bookdesk.errors import BookDeskError
from bookdesk.platform.keyring_store import system_secret_store
from bookdesk.ui.dialogs.error_dialog import ErrorDialog
from bookdesk.ui.main_window import MainWindow
from bookdesk.ui.resources import icon
from bookdesk.ui.theme import apply_theme, prepare_high_dpi

log = logging.getLogger(__name__)


def create_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    prepare_high_dpi()
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("bookdesk")
    app.setWindowIcon(icon("bookdesk"))
    apply_theme(app)
    return app


class OpenLibrary:
    """A library opened for the GUI: its service, its worker and its window."""

    def __init__(self, library: Path, *, remember_geometry: bool = True) -> None:
        self.service = LibraryService.open(library)
        try:
            self.worker = Worker(self.service.catalog)
            self.worker.start()
            self.window = MainWindow(self.service, self.worker, remember_geometry=remember_geometry,
                                     secrets=system_secret_store())
        except BaseException:
            self.service.close()
            raise

    def close(self) -> None:
        try:
            self.window.close()
            self.worker.stop()
            self.window.series.close()
        finally:
            self.service.close()  # the lock and the catalog go, whatever happened above


def show_startup_error(exc: BookDeskError) -> None:
    dialog = ErrorDialog(exc.message, exc.correlation_id, exc.detail or "", title=f"{APP_NAME} cannot open the library")
    dialog.exec()


def run_gui(library: Path) -> int:
    app = create_app()
    try:
        opened = OpenLibrary(library)
    except BookDeskError as exc:
        log.error("cannot open library %s: %s", library, exc.message)
        print(f"bookdesk: {exc.message}", file=sys.stderr)
        show_startup_error(exc)
        return 1
    opened.window.presenter.install_hooks()
    opened.window.show()

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    try:
        with loop:
            loop.run_until_complete(quitting.wait())
    finally:
        opened.close()
    return 0
