"""BookDesk's own HTTP face, served for a test by real uvicorn on 127.0.0.1 (a free port), in a thread.

``with served(app) as base_url:`` the app answers at ``base_url`` until the block ends. The same
``listening_socket`` and ``make_server`` as ``bookdesk serve``. ``lan_address()`` is an address of this
machine on its network, for a client the server must not take for itself (None where there is none).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bookdesk.serve.server import listening_socket, make_server


@contextmanager
def served(app, host: str = "127.0.0.1", **options: object) -> Iterator[str]:  # noqa: ANN001 - any ASGI app
    sock = listening_socket(host, 0)
    port = sock.getsockname()[1]
    server = make_server(app, **options)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="bookdesk-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # a start that never comes fails below, not by hanging the test
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    scheme = "https" if options.get("ssl_certfile") else "http"
    try:
        yield f"{scheme}://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def lan_address() -> str | None:
    """This machine's IPv4 address toward its network (a UDP connect sends nothing), if not loopback."""
    import ipaddress
    import socket

    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if ipaddress.ip_address(address).is_loopback else address
