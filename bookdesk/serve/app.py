"""``build_app(ctx)``: the one ASGI app of the HTTP face, the same under ``bookdesk serve`` and in the window.

It mounts the health checks, the API under ``/api/v1`` and the OPDS feeds (``serve/opds/routes.py``),
inside the layers every request passes: its id and log line (``request_log.py``), then JSON errors
(``problems.py``).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from bookdesk.serve.context import ServeContext
from bookdesk.serve.health import health
from bookdesk.serve.problems import EXCEPTION_HANDLERS
from bookdesk.serve.request_log import RequestLog


def build_app(ctx: ServeContext) -> Starlette:
    routes: list[BaseRoute] = [Route("/health", health, methods=["GET", "HEAD"])]
    routes += _opds_routes(ctx)
    app = Starlette(routes=routes, middleware=[Middleware(RequestLog)],
                    exception_handlers=EXCEPTION_HANDLERS)  # type: ignore[arg-type]
    app.state.ctx = ctx
    return app


def _opds_routes(ctx: ServeContext) -> list[BaseRoute]:
    # The feeds are built beside this module at the same time; until they land the API serves alone.
    try:
        from bookdesk.serve.opds.routes import opds_routes
    except ModuleNotFoundError as exc:
        if exc.name not in ("bookdesk.serve.opds", "bookdesk.serve.opds.routes"):
            raise
        return []
    return list(opds_routes(ctx))
