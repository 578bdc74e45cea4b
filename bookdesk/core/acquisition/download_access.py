"""Where the download queue reads and writes its rows: through the library's Catalog sessions (the window,
and every command that opened the library with SQLAlchemy), or over a plain ``sqlite3`` connection
(``bookdesk fetch --no-import``, which then starts without SQLAlchemy: data/plain_catalog.py). Both run
data/download_table.py's queries, so the rows are the same whichever wrote them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Protocol

from bookdesk.data.download_table import DownloadTable

if TYPE_CHECKING:
    from bookdesk.data.catalog import Catalog
    from bookdesk.data.plain_catalog import PlainCatalog


class DownloadAccess(Protocol):
    """``read()`` and ``write()`` yield a ``DownloadTable``; a write is committed at the end of its block."""

    def read(self) -> AbstractContextManager[DownloadTable]: ...

    def write(self) -> AbstractContextManager[DownloadTable]: ...


class CatalogDownloads:
    """The rows through a Catalog's sessions."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @contextmanager
    def read(self) -> Iterator[DownloadTable]:
        from bookdesk.data.download_repository import DownloadRepository  # with the Catalog, SQLAlchemy is in

        with self.catalog.read() as session:
            yield DownloadRepository(session)

    @contextmanager
    def write(self) -> Iterator[DownloadTable]:
        from bookdesk.data.download_repository import DownloadRepository

        with self.catalog.write() as session:
            yield DownloadRepository(session)


class PlainDownloads:
    """The rows over a plain catalog's one connection."""

    def __init__(self, catalog: PlainCatalog) -> None:
        self.catalog = catalog

    @contextmanager
    def read(self) -> Iterator[DownloadTable]:
        with self.catalog.read() as connection:
            yield DownloadTable(connection)

    @contextmanager
    def write(self) -> Iterator[DownloadTable]:
        with self.catalog.write() as connection:
            yield DownloadTable(connection)
