"""``build_app(ctx)``: the one ASGI app of the HTTP face, the same under ``bookdesk serve`` and in the window.

It mounts the health checks, the API under ``/api/v1`` and the OPDS feeds (``serve/opds/routes.py``),
inside the layers every request passes: its id and log line (``request_log.py``), only this server's
own names in Host (``hosts.py``), who may ask and how often (``guard.py``), then JSON errors
(``problems.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from bookdesk.serve.api.routes import api_routes
from bookdesk.serve.context import ServeContext
from bookdesk.serve.digest import DigestAuth
from bookdesk.serve.guard import Guard
from bookdesk.serve.health import health
from bookdesk.serve.hosts import HostCheck
from bookdesk.serve.opds.routes import opds_routes
from bookdesk.serve.problems import EXCEPTION_HANDLERS
from bookdesk.serve.rate_limits import RateLimits
from bookdesk.serve.ready import ready
from bookdesk.serve.request_log import RequestLog


def build_app(ctx: ServeContext, *, clock: Callable[[], float] = time.monotonic) -> Starlette:
    """``clock``: monotonic seconds for the rate limits and the lock-out (a test's fake clock)."""
    routes: list[BaseRoute] = [Route("/health", health, methods=["GET", "HEAD"]),
                               Route("/health/ready", ready, methods=["GET"])]
    routes += api_routes()
    routes += opds_routes(ctx)
    guard = Middleware(Guard, ctx=ctx, limits=RateLimits(ctx.policy, clock), digest=DigestAuth(ctx.policy.realm))
    hosts = Middleware(HostCheck, names=ctx.policy.host_names)
    app = Starlette(routes=routes, middleware=[Middleware(RequestLog), hosts, guard],
                    exception_handlers=EXCEPTION_HANDLERS)  # type: ignore[arg-type]
    app.state.ctx = ctx
    return app

