"""The one error a write-back raises: it names the file and says why it was left as it was."""

from __future__ import annotations

from bookdesk.errors import BookDeskError


class WritebackError(BookDeskError):
    """Metadata could not be written into one file; that file is exactly as it was before."""
