"""The outermost layer of every request: its correlation id, its one log line, and a JSON 500 for
anything that escaped (never a traceback on the wire).

A pure ASGI middleware, not Starlette's BaseHTTPMiddleware, so streamed file bodies pass through
untouched. The id is bound for the whole request, so every log line the request makes carries it, and
it is sent back as ``X-Request-ID``.
"""

from __future__ import annotations

import json
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bookdesk import correlation

log = logging.getLogger("bookdesk.serve.requests")


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ref = correlation.new_id()
        started = time.monotonic()
        status = [0]

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", ref.encode())]
            await send(message)

        with correlation.bound(ref):
            try:
                await self.app(scope, receive, stamped)
            except Exception:
                log.exception("request failed unexpectedly")
                if status[0]:
                    raise  # the answer had begun: uvicorn closes the connection
                await _internal(stamped, ref)
            finally:
                client = (scope.get("client") or ("-", 0))[0]
                log.info("%s %s %s %s %d %.1fms", ref, client, scope["method"], scope["path"], status[0],
                         (time.monotonic() - started) * 1000)


async def _internal(send: Send, ref: str) -> None:
    body = json.dumps({"error": {"message": "Something went wrong on BookDesk's side; the log has it "
                                            f"under Ref {ref}.", "ref": ref}}).encode()
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
