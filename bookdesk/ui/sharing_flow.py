"""Sharing from the window: the server (serve/sharing.py) started on the worker's loop when the settings
turn sharing on, restarted when its choices change, stopped when turned off and at quit; the tray says
whether it is on and where."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from bookdesk.core import api_keys
from bookdesk.core.library_services import LibraryServices
from bookdesk.core.secrets import api_key_secret
from bookdesk.core.settings import Settings
from bookdesk.data.api_keys import ApiKeyRow
from bookdesk.errors import BookDeskError
from bookdesk.serve.sharing import SharingServer, SharingState
from bookdesk.ui import bridge
from bookdesk.ui.settings_hub import SettingsHub
from bookdesk.ui.tray import Tray

if TYPE_CHECKING:
    from bookdesk.core.scheduler.scheduler import Scheduler
    from bookdesk.ui.automation_flow import AutomationFlow

log = logging.getLogger(__name__)


class SharingFlow(QObject):
    state_changed = Signal(object)  # a SharingState

    def __init__(self, parent: QObject, services: LibraryServices, settings_hub: SettingsHub, tray: Tray,
                 automation: AutomationFlow | None = None, tell: Callable[[str], None] | None = None) -> None:
        """``tell``: where the window says that sharing did not start (its status bar), as other failures."""
        super().__init__(parent)
        self.services, self.automation, self._tell = services, automation, tell
        self._scheduler: Scheduler | None = None
        self.server = SharingServer(services, self._start_sync)
        self.tray = tray
        self.state_changed.connect(
            lambda state: tray.set_sharing(state.words(), state.said() if state.on or state.problem else ""))
        self.state_changed.connect(self._tell_problem)
        settings_hub.changed.connect(self.apply)
        self.apply(settings_hub.settings)

    @property
    def state(self) -> SharingState:
        return self.server.state

    def apply(self, settings: Settings) -> None:
        if settings.sharing_enabled and self.automation is not None and self._scheduler is None \
                and not self.services.library.catalog.read_only:
            self._scheduler = self.automation.start()  # here, on the window's thread; None: read-only library
        if self.server.needs_stop(settings):
            bridge.start(self._restart(settings), what="Restart sharing", quiet=True)
            return
        before = self.server.state
        if self.server.apply(settings) != before:
            self.state_changed.emit(self.server.state)

    def _tell_problem(self, state: SharingState) -> None:
        # The dialog has closed (or the window just opened): the Sharing page alone would leave it unseen.
        if state.problem and self._tell is not None:
            self._tell(f"Sharing did not start (Ref {state.ref}): {state.problem}")

    async def _start_sync(self) -> str:
        """The API's sync, on the worker's loop: Sync Now's scheduler run as a job of its own, whose Ref
        the script follows (each scheduled job it starts has its own too, in Activity)."""
        scheduler = self._scheduler
        if scheduler is None:
            raise BookDeskError("This library is open read-only here, so nothing is synced.")
        handle = self.services.worker.submit("sync", "Sync Now", lambda ctx: scheduler.sync())
        handle.detach()  # followed through GET /api/v1/jobs/REF; a failure is logged with its Ref
        return handle.correlation_id

    async def _restart(self, settings: Settings) -> None:
        await self.server.astop()
        self.server.apply(settings)
        self.state_changed.emit(self.server.state)

    def stop(self) -> None:
        """At quit: the requests under way finish (a few seconds at most), then the port is free."""
        try:
            self.server.stop(timeout=5)
        except Exception:  # quitting must go on
            log.exception("sharing did not stop cleanly")

    # ----- the API's keys, as Settings → Sharing makes, lists and revokes them (on the worker) -----

    async def keys(self) -> list[ApiKeyRow]:
        return await self.services.worker.call(self._on_catalog, api_keys.all_keys)

    async def make_key(self, name: str, write: bool) -> api_keys.NewKey:
        secrets = self.services.secrets
        return await self.services.worker.call(
            self._on_catalog, lambda c: api_keys.add_key(c, secrets, name, "write" if write else "read"))

    async def revoke_key(self, name: str) -> None:
        secrets = self.services.secrets
        await self.services.worker.call(self._on_catalog, lambda c: api_keys.revoke(c, secrets, name))

    async def stored_key(self, name: str) -> str | None:
        """A key as the keyring keeps it, to show again (None where it was not kept)."""
        return await self.services.worker.call(self.services.secrets.get, api_key_secret(name))

    def _on_catalog(self, fn):  # noqa: ANN001, ANN202 - a function of a DB-API connection; its value
        with self.services.library.catalog.write() as session:
            return fn(session.connection().connection.driver_connection)
