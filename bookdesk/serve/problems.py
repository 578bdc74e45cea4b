"""Every error the HTTP face answers is JSON: ``{"error": {"message", "ref"}}`` and never a traceback.

``ref`` is the request's correlation id, also in ``X-Request-ID``: the line a person quotes to find
the request in the log.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from bookdesk import correlation
from bookdesk.errors import BookDeskError, NotFoundError, UsageError

log = logging.getLogger(__name__)


class ApiProblem(BookDeskError):
    """A request refused with ``status`` and a message for whoever sent it."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def problem(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "ref": correlation.current()}}, status_code=status,
                        headers=headers)


_HTTP_WORDS = {404: "Nothing is here.", 405: "This address does not take that method."}


async def http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    message = _HTTP_WORDS.get(exc.status_code) or str(exc.detail)
    return problem(exc.status_code, message, dict(exc.headers or {}))


async def bookdesk_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BookDeskError)
    if isinstance(exc, ApiProblem):
        return problem(exc.status, exc.message, exc.headers)
    if isinstance(exc, NotFoundError):
        return problem(404, exc.message)
    if isinstance(exc, UsageError):
        return problem(400, exc.message)
    log.warning("request failed: %s", exc.message)
    return problem(503 if exc.retryable else 500, exc.message)


EXCEPTION_HANDLERS = {HTTPException: http_exception, BookDeskError: bookdesk_error}
