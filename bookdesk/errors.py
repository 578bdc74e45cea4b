"""The errors BookDesk shows to people.

Every error carries a message a person can act on, whether trying again may help,
and the correlation id of the job it came from, so the dialog can say "Ref BD-7K3Q9"
and the log lines of that job can be found.
"""

from __future__ import annotations

from bookdesk import correlation
from bookdesk.redaction import redact_text


class BookDeskError(Exception):
    """Base of every error meant for a person. ``message`` is shown as is, once every credential in
    it is masked: a message is printed, logged and stored, and may quote what a server said."""

    retryable: bool = False

    def __init__(self, message: str, *, retryable: bool | None = None, correlation_id: str | None = None,
                 detail: str | None = None) -> None:
        message = redact_text(message)
        super().__init__(message)
        self.message = message
        if retryable is not None:
            self.retryable = retryable
        self.correlation_id = correlation_id or correlation.current()
        self.detail = redact_text(detail) if detail else detail

    def __str__(self) -> str:
        return self.message


class UsageError(BookDeskError):
    """The command or the request itself is wrong (CLI exit code 2)."""


class LibraryError(BookDeskError):
    """The library folder or its catalog cannot be used."""


class LibraryNotWritableError(LibraryError):
    pass


class LibraryLockedError(LibraryError):
    """Another BookDesk has this library open."""

    retryable = True


class LibraryReadOnlyError(LibraryNotWritableError):
    """The library can only be read (a read-only file, folder or disk): it opens, and refuses every change."""


class CatalogDiskFullError(LibraryError):
    """The disk holding the catalog is full; freeing space and trying again helps."""

    retryable = True


class CatalogCorruptError(LibraryError):
    pass


class CatalogIOError(LibraryError):
    """The disk holding the catalog failed to read or write for a moment (a network drive or a USB disk
    dropping out): no damage found, nothing refused, and trying again may work."""

    retryable = True


class CatalogEmptyError(LibraryError):
    """The catalog file is there but empty (0 bytes): not silently taken for a new library."""


class CatalogTooNewError(LibraryError):
    """The catalog was written by a newer BookDesk; opening it could lose data."""


class NotFoundError(BookDeskError):
    pass


class ImportFailedError(BookDeskError):
    """One file could not be imported; the rest of the batch goes on."""


class JobCancelledError(BookDeskError):
    def __init__(self, message: str = "Cancelled", **kwargs) -> None:
        super().__init__(message, **kwargs)
