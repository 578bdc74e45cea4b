"""BookDesk's own HTTP face, served for a test by real uvicorn on 127.0.0.1 (a free port), in a thread.

``with served(app) as base_url:`` the app answers at ``base_url`` until the block ends. The same
``listening_socket`` and ``make_server`` as ``bookdesk serve``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bookdesk.serve.server import listening_socket, make_server


@contextmanager
def served(app, **options: object) -> Iterator[str]:  # noqa: ANN001 - any ASGI app
    sock = listening_socket("127.0.0.1", 0)
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
        yield f"{scheme}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
