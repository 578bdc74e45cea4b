"""The HTTP face as ``bookdesk serve`` runs it (``build_app`` on uvicorn), in a process of its own for
bench/serve.py, with one more route for the streaming phase: ``/bench-file`` hands the big file to
``file_response`` behind the same middleware as every route.

Usage: _serve_child.py LIBRARY PORT RELATIVE_FILE   (prints "ready" once listening)
"""

from __future__ import annotations

import sys
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from bookdesk.serve.files import file_response
from bookdesk.serve.server import listening_socket, make_server


def main() -> None:
    library, port, relative = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    ctx = ServeContext(library=library)
    app = build_app(ctx)

    async def bench_file(request: Request) -> Response:
        return await file_response(request, ctx, relative, "audio/mp4")

    app.add_route("/bench-file", bench_file, methods=["GET"])
    sock = listening_socket("127.0.0.1", port)
    server = make_server(app)
    print("ready", flush=True)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
