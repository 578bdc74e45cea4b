"""Sharing from the window: the same app as ``bookdesk serve``, served on the worker's asyncio loop while
the settings say sharing is on, and stopped or restarted when they change.

Qt-free, so the window's flow (ui/sharing_flow.py) is a thin adapter and tests drive this directly.
The socket is bound on the caller's thread (a port in use is said at once); the serving runs on the
worker's loop until ``stop``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bookdesk import correlation
from bookdesk.core import paths
from bookdesk.core.library_services import LibraryServices
from bookdesk.core.secrets import SHARING_OPDS_PASSWORD, SecretsUnavailableError
from bookdesk.core.settings import Settings
from bookdesk.core.submission import Submission
from bookdesk.errors import BookDeskError
from bookdesk.serve.addresses import lan_names, urls

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SharingState:
    on: bool = False
    urls: tuple[str, ...] = ()  # where devices reach it (OPDS at URL/opds)
    fingerprint: str = ""  # of the TLS certificate, when on the local network
    problem: str = ""  # why it is not on although asked (a port in use, say)
    ref: str = ""  # the correlation id the problem was logged with, for the window to say
    note: str = ""  # what the network's e-readers lack while on (the password, this run), for the tooltip
    choices: tuple = field(default=(), compare=False, repr=False)

    def words(self) -> str:
        if self.problem:
            return f"Sharing is off: {self.problem}"
        if not self.on:
            return "Sharing is off"
        return "Sharing at " + ", ".join(self.urls)

    def said(self) -> str:
        """``words`` and the note under them: the tray's tooltip and the Sharing page (not the menu item)."""
        return f"{self.words()}\n{self.note}" if self.note else self.words()


def _choices(settings: Settings) -> tuple:
    """What a running server depends on: a change to any restarts it."""
    return (settings.sharing_lan, settings.sharing_port, settings.sharing_opds_user, settings.sharing_cert_file,
            settings.sharing_key_file)


class SharingServer:
    def __init__(self, services: LibraryServices, sync: Callable[[], Awaitable[str]] | None = None) -> None:
        """``sync``: starts a Sync Now for the API's sync jobs and gives its Ref (the window's scheduler)."""
        self.services = services
        self.sync = sync
        self.state = SharingState()
        self._server = None
        self._socket = None
        self._running: Submission | None = None

    def apply(self, settings: Settings) -> SharingState:
        """Start, keep, or stop (then ``astop`` must be awaited) to match ``settings``."""
        if not settings.sharing_enabled:
            if not self.state.on:
                self.state = SharingState()  # a problem of the last try is old news once turned off
            return self.state
        if self.state.on and self.state.choices == _choices(settings):
            return self.state
        if self.state.on:
            raise RuntimeError("stop the running server (astop) before starting another")
        from bookdesk.serve.server import PortInUseError

        with correlation.bound(correlation.new_id()) as ref:  # a failure is logged and told with one Ref
            try:
                self.state = self._start(settings)
            except PortInUseError as exc:
                # Said in the window's words: its Port field, not serve's --port, and no 0.0.0.0.
                self.state = self._failed(f"Port {exc.port} is in use by another program; choose another port "
                                          "in Settings → Sharing.", ref)
            except BookDeskError as exc:
                self.state = self._failed(exc.message, ref)
        return self.state

    @staticmethod
    def _failed(problem: str, ref: str) -> SharingState:
        log.warning("sharing could not start: %s", problem)
        return SharingState(problem=problem, ref=ref)

    def needs_stop(self, settings: Settings) -> bool:
        return self.state.on and (not settings.sharing_enabled or self.state.choices != _choices(settings))

    def _start(self, settings: Settings) -> SharingState:
        # Here, not at the top: Starlette, uvicorn and cryptography load when sharing starts, not with the window.
        from bookdesk.serve.app import build_app
        from bookdesk.serve.context import ServeContext
        from bookdesk.serve.policy import ServePolicy
        from bookdesk.serve.server import listening_socket, make_server
        from bookdesk.serve.tls import certificate

        host = "0.0.0.0" if settings.sharing_lan else "127.0.0.1"  # noqa: S104 - the person allowed the network
        tls = certificate(paths.config_dir(), settings.sharing_cert_file, settings.sharing_key_file) \
            if settings.sharing_lan else None
        sock = listening_socket(host, settings.sharing_port)
        library = self.services.library.catalog.folder
        ctx = ServeContext(library=library, secrets=self.services.secrets, services=self.services,
                           policy=ServePolicy(opds_user=settings.sharing_opds_user or None,
                                              host_names=lan_names(tls) if settings.sharing_lan else ()),
                           sync=self.sync)
        options = {"ssl_certfile": str(tls.cert_file), "ssl_keyfile": str(tls.key_file)} if tls else {}
        server = make_server(build_app(ctx), **options)
        self._server, self._socket = server, sock
        self._running = self.services.worker.run(server.serve, [sock])
        note = self._password_note(settings) if settings.sharing_lan else ""  # this machine needs no log-in
        return SharingState(True, tuple(urls(host, settings.sharing_port, tls is not None)),
                            tls.fingerprint if tls else "", note=note, choices=_choices(settings))

    def _password_note(self, settings: Settings) -> str:
        from bookdesk.serve.policy import no_password_for

        user = settings.sharing_opds_user
        if not user:
            return ""
        try:
            password = self.services.secrets.get(SHARING_OPDS_PASSWORD)
        except SecretsUnavailableError:
            password = None
        return "" if password else no_password_for(user)

    def stop(self, timeout: float) -> None:
        """``astop`` for a caller that cannot await (the window quitting)."""
        server, sock, running = self._server, self._socket, self._running
        self._server = self._socket = self._running = None
        self.state = SharingState()
        if server is None:
            return
        server.should_exit = True
        try:
            running.result(timeout)
        finally:
            sock.close()

    async def astop(self) -> None:
        """Stop serving: the requests under way finish, then the socket closes."""
        server, sock, running = self._server, self._socket, self._running
        self._server = self._socket = self._running = None
        self.state = SharingState()
        if server is None:
            return
        server.should_exit = True
        try:
            await running
        finally:
            sock.close()
