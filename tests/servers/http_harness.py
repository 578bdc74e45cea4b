"""The one local HTTP server that tests and benches start: a threaded server on 127.0.0.1 that hands
every GET, POST and HEAD to one function ``answer(request)``.

The scripted provider server, the Torznab indexer, the download server, the provider world and
the fault tests' hostile servers are each an ``answer`` over this; none starts a socket of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = Callable[[BaseHTTPRequestHandler], None]


class _Server(ThreadingHTTPServer):
    # The standard backlog of 5 drops the SYN of a client opening many connections at once, and the
    # kernel retries it a second later: requests would arrive bunched, as if sent too fast.
    request_queue_size = 1024
    daemon_threads = True
    block_on_close = False


class LocalHttpServer:
    """``answer`` served on a free port of 127.0.0.1 until ``stop``. With ``keep_alive`` it speaks
    HTTP/1.1 (connections stay open unless an answer closes them), as most real servers do."""

    def __init__(self, answer: Answer, *, keep_alive: bool = False, name: str = "local-http") -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
                pass

            def _handle(self) -> None:
                try:
                    answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up, which tests often make it do

            do_GET = do_POST = do_HEAD = _handle  # noqa: N815 - the stdlib's names

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name=name, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def host(self) -> str:
        """``127.0.0.1:port``."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The base URL, without a trailing slash."""
        return f"http://{self.host}"

    def start(self) -> LocalHttpServer:
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on this thread until the process ends (a server in a process of its own)."""
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LocalHttpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(answer: Answer, *, keep_alive: bool = False, name: str = "local-http") -> LocalHttpServer:
    """A started ``LocalHttpServer``; the caller stops it."""
    return LocalHttpServer(answer, keep_alive=keep_alive, name=name).start()
