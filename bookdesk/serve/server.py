"""Running the app: a listening socket bound where it was asked, and uvicorn serving on it.

The socket is bound here, before uvicorn starts, so a port in use is one clear error the command turns
into exit 2, and tests can bind port 0 and learn the port before the first request.
"""

from __future__ import annotations

import errno
import signal
import socket
from types import FrameType

import uvicorn

from bookdesk.errors import BookDeskError, UsageError


class PortInUseError(UsageError):
    """The port is held by another program (or another BookDesk): the command exits 2 with the reason.
    ``port`` is kept so the window can say it in its own words (its Port field, not --port)."""

    def __init__(self, message: str, port: int) -> None:
        super().__init__(message)
        self.port = port


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not left 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they
    # are TCP, and without it every answer after the first on a kept-alive connection waited ~40 ms for
    # the client's delayed ACK (bench/serve.py: the OPDS root at 44 ms where it takes 1).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart right after a stop still binds
    try:
        sock.bind((host, port))
        sock.listen(1024)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(f"Port {port} on {host} is in use by another program; "
                                 f"choose another with --port.", port) from exc
        raise BookDeskError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from exc
    sock.set_inheritable(True)
    return sock


class _Server(uvicorn.Server):
    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # uvicorn's own records the signal and raises it again once shut down, so the process would die
        # of it (exit -15) after a clean stop; stopping is what a person asked for, so it ends with 0.
        # A second Ctrl+C still ends the requests under way at once, as uvicorn's does.
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        else:
            self.should_exit = True


def make_server(app, **options: object) -> uvicorn.Server:  # noqa: ANN001 - any ASGI app
    """A uvicorn server for ``app`` that logs nothing of its own per request: the app's request log
    (one line with the request's id) is the one record. ``options`` go to uvicorn's Config (ssl_*)."""
    config = uvicorn.Config(app, lifespan="off", access_log=False, log_config=None, server_header=False,
                            proxy_headers=False, **options)
    return _Server(config)
