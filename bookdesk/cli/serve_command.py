"""``bookdesk serve [--library DIR] [--host 127.0.0.1] [--port 8585]``: the OPDS feeds and the API until
stopped (Ctrl+C or SIGTERM end it cleanly), for a machine without a window such as a home server.

One line per request on stderr (its id, address, method, path, status, time), as in the log file.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bookdesk.cli.output import progress

DEFAULT_PORT = 8585


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")


def main(args: argparse.Namespace, library: Path) -> int:
    from bookdesk.core.logging_setup import install
    from bookdesk.serve.app import build_app
    from bookdesk.serve.context import ServeContext
    from bookdesk.serve.server import listening_socket, make_server

    ctx = ServeContext(library=library)
    with ctx.reading():  # no library, or one that cannot be read: said now, not at the first request
        pass
    sock = listening_socket(args.host, args.port)
    _requests_to_stderr(install)
    server = make_server(build_app(ctx))
    host = f"[{args.host}]" if ":" in args.host else args.host
    progress(f"Serving {library} at http://{host}:{sock.getsockname()[1]}/ (OPDS at /opds, API at /api/v1); "
             "Ctrl+C stops.")
    try:
        server.run(sockets=[sock])  # uvicorn ends on SIGINT and SIGTERM, finishing the requests under way
    finally:
        sock.close()
    progress("Stopped.")
    return 0


def _requests_to_stderr(install) -> None:  # noqa: ANN001 - logging_setup.install
    handler = install(logging.StreamHandler(sys.stderr))
    handler.setFormatter(logging.Formatter("%(message)s"))
    requests = logging.getLogger("bookdesk.serve.requests")
    requests.addHandler(handler)
    requests.setLevel(logging.INFO)
