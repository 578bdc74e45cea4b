"""The library the app has open, and switching to another without leaving the process.

The window, services, worker and lock of one library are an ``OpenLibrary``; with them goes the
single-instance server, which listens under a name made from the library's folder. Switching opens the
new library first (its lock taken, its empty catalog asked about), so a library that cannot be opened
leaves the person where they were; only then are the old window, scheduler, worker and lock closed and
the old name let go, and the server listens under the new one. In the same process rather than a new
one: the new lock is held before the old is given up, no launch can find neither name answering, and the
person's window does not vanish while a new process starts (or fails to).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from bookdesk.errors import BookDeskError
from bookdesk.ui.application import OpenLibrary, open_library
from bookdesk.ui.desktop_settings import library_opened
from bookdesk.ui.main_window import MainWindow
from bookdesk.ui.single_instance import FileOpenFilter, HandOver, InstanceServer, hand_over, server_name

log = logging.getLogger(__name__)


class LibrarySession(QObject):
    def __init__(self, app: QApplication, opened: OpenLibrary, file_opener: FileOpenFilter | None = None) -> None:
        super().__init__(app)
        self.app, self.opened = app, opened
        self.server = self._listen(opened.service.folder)
        if file_opener is not None:
            file_opener.handed_over.connect(self.take)
        self._adopt(opened)

    @property
    def window(self) -> MainWindow:
        return self.opened.window

    def take(self, request: HandOver) -> None:
        """A later launch (or the Finder) asked for this library: the window comes forward, the files import."""
        if request.activate:
            self.window.show_from_tray()
        if request.paths:
            self.window.start_import(list(request.paths))

    def switch_to(self, library: Path) -> bool:
        """Open ``library`` in place of the one open now; False (said in the window) when it cannot be."""
        old = self.opened
        running = old.window.jobs.started_by_the_person()
        if running and old.worker.running:
            titles = ", ".join(sorted({e.title for e in running}))
            old.window.jobs.say(f"{titles} is still running: let it end, or cancel it, then open the other library.")
            return False
        if hand_over(library, ()):  # another BookDesk has it open: that window came forward
            old.window.jobs.say(f"{library} is open in another BookDesk window; it was brought forward.")
            return False
        try:
            opened = open_library(library)
        except BookDeskError as exc:
            old.window.presenter.report(exc.message, exc.correlation_id, exc.detail or "")
            return False
        if opened is None:  # an empty catalog, and the person chose neither way on
            return False
        log.info("switching library from %s to %s", old.service.folder, opened.service.folder)
        self.opened = opened
        opened.window.show()  # first, so closing the old one is never closing the last window
        self.server.close()
        self.server.deleteLater()
        old.close()
        old.window.deleteLater()
        self.server = self._listen(opened.service.folder)
        self._adopt(opened, chosen=True)
        return True

    def close(self) -> None:
        """At quit: the name is free for the next BookDesk at once, then the library closes."""
        self.server.close()
        self.server.deleteLater()
        self.opened.close()

    def _listen(self, library: Path) -> InstanceServer:
        # Listening only with the library held leaves no doubt over who is the first BookDesk.
        server = InstanceServer(server_name(library), self)
        server.listen()  # without it the library lock still keeps a second BookDesk out
        server.handed_over.connect(self.take)
        return server

    def _adopt(self, opened: OpenLibrary, *, chosen: bool = False) -> None:
        window = opened.window
        window.presenter.install_hooks()
        window.library_actions.open_requested.connect(self.switch_to)
        settings = window.settings_hub.settings
        remembered = library_opened(settings, opened.service.folder, chosen=chosen)
        if remembered != settings:
            try:
                window.settings_hub.save(remembered)
            except (BookDeskError, OSError) as exc:  # a start goes on without its recent list
                log.warning("could not remember the library opened: %s", exc)
