"""What can go wrong talking to a server, in words a person can act on."""

from __future__ import annotations

from bookdesk.errors import BookDeskError


class NetworkError(BookDeskError):
    """A request failed: the server is unreachable, refused, or answered with something unusable."""

    def __init__(self, message: str, *, host: str = "", status: int | None = None, retryable: bool = False,
                 too_slow: bool = False, **kwargs) -> None:
        super().__init__(message, retryable=retryable, **kwargs)
        self.host = host
        self.status = status
        self.too_slow = too_slow  # the total deadline ran out: a job asks this host no more this run

    @property
    def unreachable(self) -> bool:
        """The server could not be reached or could not answer (down, too slow, 5xx, limiting): the
        question was never really asked, which is not the same as "no such thing"."""
        return self.status is None or self.status == 429 or self.status >= 500


class NotFound(NetworkError):
    """404: the thing asked for does not exist there (not an error for a lookup)."""
