"""A library opened for the download queue alone, without SQLAlchemy: what ``bookdesk fetch --no-import`` uses.

Opening the library as ``LibraryService.open`` does (its lock, jobs a dead process left marked interrupted,
the leftovers of a killed write swept) but over a plain ``sqlite3`` connection (data/plain_catalog.py), and
the queue's rows through it (download_access.py), a small fetch starts in a third of the time
(bench/cli_start.py). What the queue asks of a library beyond its rows is here too: its folder, a catalog
path made absolute, and, for the one case that imports (an address the app had queued to be imported,
fetched again), the library's ``Catalog``, opened with SQLAlchemy only then.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bookdesk.core import library_paths
from bookdesk.core.acquisition.download_access import PlainDownloads
from bookdesk.core.temp_sweep import sweep_temp_files
from bookdesk.data.job_interruptions import abandon_unfinished
from bookdesk.data.plain_catalog import PlainCatalog, open_plain

if TYPE_CHECKING:
    from bookdesk.data.catalog import Catalog


class FetchLibrary:
    """``FetchLibrary.open(folder)``, then ``DownloadQueue(library, downloads=library.download_access, ...)``."""

    def __init__(self, plain: PlainCatalog) -> None:
        self.plain = plain
        self.download_access = PlainDownloads(plain)
        self._catalog: Catalog | None = None

    @classmethod
    def open(cls, folder: Path) -> FetchLibrary | None:
        """The library at ``folder``, or None when it must be opened as ``LibraryService.open`` does (a new
        library, a catalog that is behind, one that takes no change): see data/plain_catalog.py."""
        plain = open_plain(folder)
        if plain is None:
            return None
        try:
            with plain.write() as connection:
                abandon_unfinished(connection)
            sweep_temp_files(plain.folder)  # what a killed write left; only with the lock held
        except BaseException:
            plain.close()
            raise
        return cls(plain)

    @property
    def folder(self) -> Path:
        return self.plain.folder

    def absolute(self, relative: str) -> Path:
        return library_paths.absolute(self.plain.folder, relative)

    @property
    def catalog(self) -> Catalog:
        """The library's Catalog, opened on first use: only importing a download needs it. Opened without
        taking the lock, which this process holds already (the plain catalog took it)."""
        if self._catalog is None:
            from bookdesk.data.catalog import open_catalog

            self._catalog = open_catalog(self.plain.folder, exclusive=False, create=False)
        return self._catalog

    def close(self) -> None:
        try:
            if self._catalog is not None:
                self._catalog.close()
        finally:
            self.plain.close()
