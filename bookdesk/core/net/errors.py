"""What can go wrong talking to a server, in words a person can act on."""

from __future__ import annotations

from bookdesk.errors import BookDeskError


class NetworkError(BookDeskError):
    """A request failed: the server is unreachable, refused, or answered with something unusable."""

    def __init__(self, message: str, *, host: str = "", status: int | None = None, retryable: bool = False,
                 **kwargs) -> None:
        super().__init__(message, retryable=retryable, **kwargs)
        self.host = host
        self.status = status


class NotFound(NetworkError):
    """404: the thing asked for does not exist there (not an error for a lookup)."""
