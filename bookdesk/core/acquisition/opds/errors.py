"""What can go wrong with an OPDS catalog, each in words a person can act on."""

from __future__ import annotations

from bookdesk.errors import BookDeskError


class OpdsError(BookDeskError):
    """A catalog could not be read. ``url`` is the address asked (without any credentials)."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.url = url
        self.status = status


class OpdsFeedError(OpdsError):
    """The server answered, but not with a feed BookDesk can read: HTML, garbage, entities, too large."""


class OpdsAuthError(OpdsError):
    """The catalog wants a user name and password (``needs_credentials``), or refused the ones given."""

    def __init__(self, message: str, *, needs_credentials: bool, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.needs_credentials = needs_credentials


class OpdsServerError(OpdsError):
    """The server could not be reached, did not answer in time, or answered with an error status."""
