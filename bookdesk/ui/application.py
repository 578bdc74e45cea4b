"""Starting the GUI: the QApplication, the window's frame, the library, the worker, the services in the
window and the event loop.

The window's frame (window_frame.py) paints first; only then are the catalog, SQLAlchemy and the core
services imported and opened, most of a start, and attached to that window. So this module imports
none of them at its top. qasync runs asyncio on Qt's event loop, so UI code may ``await`` short core calls.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from bookdesk import APP_NAME, __version__
from bookdesk.core.collector_pause import freeze_survivors
from bookdesk.errors import BookDeskError, CatalogEmptyError, LibraryLockedError
from bookdesk.ui.first_paint import wait_for_paint
from bookdesk.ui.gil_turns import quicken_gil_turns
from bookdesk.ui.gui_loop import gui_loop
from bookdesk.ui.main_window import MainWindow
from bookdesk.ui.resources import icon
from bookdesk.ui.theme import apply_theme, prepare_high_dpi

if TYPE_CHECKING:
    from bookdesk.ui.single_instance import FileOpenFilter

FRAME_PAINT_TIMEOUT_S = 5.0  # a desktop that never paints the frame still gets its library opened

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
    """A library opened for the GUI: its service, its worker, the services over them and its window.
    ``window``: the frame shown while the library opened, to attach the services to (else a new window)."""

    def __init__(self, library: Path, *, remember_geometry: bool = True, show_tray: bool = True,
                 window: MainWindow | None = None, beside: bool = False) -> None:
        """``beside``: open the catalog and build the core services on a plain thread while ``window``
        (the frame) stays alive; then, as always, everything Qt here on the GUI thread."""
        from bookdesk.ui.library_opening import open_services, open_services_beside

        opened = open_services_beside(library, window) if beside and window is not None else open_services(library)
        self.service, self.worker, self.services = opened.service, opened.worker, opened.services
        try:
            if window is None:
                window = MainWindow(self.services, remember_geometry=remember_geometry, show_tray=show_tray)
            else:
                window.attach(self.services)
            self.window = window
        except BaseException:
            self.worker.stop()
            self.service.close()
            raise

    def close(self) -> None:
        try:
            self.window._quitting = True  # closing the library is quitting, not hiding to the tray
            self.window.close()
            self.window.automation.stop()  # the scheduler's loop ends before the worker's
            self.worker.stop()
            self.services.close()
        finally:
            self.service.close()  # the lock and the catalog go, whatever happened above


EMPTY_CATALOG_CHOICES = (("new", "Start a New Catalog Here"), ("other", "Choose Another Library…"))


def ask_about_empty_catalog(exc: CatalogEmptyError) -> str | None:
    """Ask what to do with a library whose catalog is an empty file: "new", "other" or None (neither)."""
    from bookdesk.ui.dialogs.error_dialog import ErrorDialog

    dialog = ErrorDialog(exc.message, exc.correlation_id, exc.detail or "", title=f"{APP_NAME}: the catalog is empty",
                         choices=EMPTY_CATALOG_CHOICES)
    dialog.exec()
    return dialog.choice


def choose_library_folder(start: Path) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    folder = QFileDialog.getExistingDirectory(None, "Choose a Library Folder", str(start.parent))
    return Path(folder) if folder else None


def open_library(library: Path, window: MainWindow | None = None, **options: bool) -> OpenLibrary | None:
    """Open ``library`` for the window (``window``: the frame shown meanwhile, alive while the catalog
    opens on a plain thread), asking the person when its catalog is an empty file (start a new one
    there, or choose another library); None when they chose neither. Other refusals are raised."""
    while True:
        try:
            return OpenLibrary(library, window=window, beside=window is not None, **options)
        except CatalogEmptyError as exc:
            choice = ask_about_empty_catalog(exc)
            if choice == "new":
                from bookdesk.data.catalog import discard_empty_catalog

                discard_empty_catalog(library)
            elif choice == "other" and (chosen := choose_library_folder(library)) is not None:
                library = chosen
            else:
                return None


def show_startup_error(exc: BookDeskError) -> None:
    from bookdesk.ui.dialogs.error_dialog import ErrorDialog

    dialog = ErrorDialog(exc.message, exc.correlation_id, exc.detail or "", title=f"{APP_NAME} cannot open the library")
    dialog.exec()


def run_gui(library: Path, open_paths: Sequence[Path] = (), *, in_tray: bool = False,
            may_welcome: bool = False) -> int:
    """Open ``library`` in the window and preview an import of ``open_paths``; when a BookDesk has
    the library open already, hand the paths to it instead and return 0. ``in_tray``: start hidden in
    the tray (at login), when there is one. ``may_welcome``: no library was named, so a first start
    greets the person with the wizard, which may choose another library."""
    # Here, not at the top: QtNetwork is the window's, not ``smoke``'s, and a start pays for every import.
    from bookdesk.ui.single_instance import FileOpenFilter, hand_over

    app = create_app()
    if hand_over(library, open_paths):
        log.info("BookDesk is running for %s already: handed over %d item(s)", library, len(open_paths))
        return 0
    if may_welcome:
        library = welcome(library)
    file_opener = FileOpenFilter(app)  # before any event is handled: the Finder's files come at once
    app.installEventFilter(file_opener)
    try:
        return _run_window(app, library, open_paths, file_opener, in_tray)
    finally:
        app.removeEventFilter(file_opener)
        file_opener.deleteLater()


def welcome(library: Path) -> Path:
    """On the very first start, the welcome wizard: the library folder, providers and tokens, a hint.
    Shown once, finished or not; returns the library to open."""
    from bookdesk.core import paths
    from bookdesk.core.settings import save_settings
    from bookdesk.platform.keyring_store import system_secret_store
    from bookdesk.ui.first_run import FirstRunWizard, is_first_run, mark_done

    config = paths.config_dir()
    if not is_first_run(config):
        return library
    wizard = FirstRunWizard(system_secret_store(), library)
    try:
        if wizard.exec() == FirstRunWizard.DialogCode.Accepted:
            chosen = wizard.library_folder()
            settings = wizard.result_settings()
            if chosen != library:
                settings = replace(settings, library_folder=str(chosen))
            save_settings(settings)
            library = chosen
    finally:
        mark_done(config)
    return library


def _run_window(app: QApplication, library: Path, open_paths: Sequence[Path], file_opener: FileOpenFilter,
                in_tray: bool = False) -> int:
    from bookdesk.ui.library_session import LibrarySession
    from bookdesk.ui.single_instance import hand_over_once_listening

    loop = gui_loop()  # before the window: its flows start their tasks on it as they are built
    asyncio.set_event_loop(loop)
    freeze_survivors()  # a big library's full collections would hold the GIL away from the GUI thread
    quicken_gil_turns()  # a paint waits for the GIL once per call into Python while a worker thread computes
    # The window's frame first, painted, so the person sees BookDesk while the library opens.
    frame = MainWindow(folder=library)
    if not in_tray:
        wait_for_paint(frame.switcher, FRAME_PAINT_TIMEOUT_S, show=frame)
    try:
        opened = open_library(library, window=frame)
    except BookDeskError as exc:
        _drop(frame)
        if isinstance(exc, LibraryLockedError) and hand_over_once_listening(library, open_paths):
            log.info("BookDesk was starting for %s already: handed over %d item(s)", library, len(open_paths))
            return 0
        log.error("cannot open library %s: %s", library, exc.message)
        print(f"bookdesk: {exc.message}", file=sys.stderr)
        show_startup_error(exc)
        return 1
    if opened is None:  # the catalog was an empty file and the person chose neither way on
        _drop(frame)
        return 1
    if not in_tray and not frame.isVisible():  # closed while the library opened: the person quit
        opened.close()
        return 0
    # It listens for later launches (with the library held) and switches library from the window.
    session = LibrarySession(app, opened, file_opener)
    window = session.window
    if in_tray and window.tray_flow.in_tray:  # waiting in the tray, as at login
        window.hide()
    else:  # without a tray to wait in, the window shows
        window.show()
    if open_paths:
        window.start_import([Path(p) for p in open_paths])

    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    try:
        with loop:
            loop.run_until_complete(quitting.wait())
    finally:
        session.close()
    return 0


def _drop(frame: MainWindow) -> None:
    """The frame of a library that did not open goes, before the dialog that says why."""
    frame.close()
    frame.deleteLater()
