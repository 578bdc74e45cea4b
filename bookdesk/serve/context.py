"""What every route of the HTTP face is handed: the library it serves and how to read it.

A frozen dataclass of plain values, made once when the server starts, so the routes never reach for
globals and a test builds one over a library folder of its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bookdesk.core.secrets import InMemorySecretStore, SecretStore
from bookdesk.data.catalog_reader import reading
from bookdesk.serve.policy import ServePolicy

if TYPE_CHECKING:
    from bookdesk.core.library_services import LibraryServices


@dataclass(frozen=True)
class ServeContext:
    library: Path  # the library folder: every file served must resolve inside it
    # Where the API keys themselves are kept (the catalog holds only their hashes).
    secrets: SecretStore = field(default_factory=InMemorySecretStore)
    policy: ServePolicy = field(default_factory=ServePolicy)  # rate limits, lock-out, the OPDS log-in
    # The open library's services and worker (the window's own, or bookdesk serve's): what the series,
    # authors and wanted answers and the jobs go through. None: only the catalog's plain reads are served.
    services: LibraryServices | None = None
    # Starts one sync of every scheduled job that is due, as Sync Now does, and gives its Ref; given by
    # whoever runs the server, as the window and ``bookdesk serve`` each run their scheduler their own way.
    sync: Callable[[], Awaitable[str]] | None = None

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection to the catalog that cannot write (``query_only``), shared with a
        running BookDesk as ``bookdesk list`` shares it. Blocking: call it off the event loop."""
        with reading(self.library) as connection:
            connection.execute("PRAGMA query_only=ON")
            try:
                yield connection
            finally:
                connection.execute("PRAGMA query_only=OFF")
