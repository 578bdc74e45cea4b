"""The library opened for ``bookdesk serve``, as the window opens it: the LibraryService (which holds the
library's lock), one worker, the services over them, the saved settings and the given secrets, and the
download queue running on the worker. A catalog an older BookDesk wrote is upgraded by the open, after a
backup; that is said first, as the window's status bar says it, since a big catalog takes a while."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bookdesk.core.library_service import LibraryService
from bookdesk.core.library_services import LibraryServices
from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings, load_settings
from bookdesk.core.worker import Worker
from bookdesk.data.catalog_copy import MIGRATION_BACKUP_INFIX
from bookdesk.data.catalog_file import CATALOG_NAME, SCHEMA_HEAD, pending_upgrade


@contextmanager
def opened_library(library: Path, secrets: SecretStore, settings: Settings | None = None,
                   say: Callable[[str], None] = lambda _text: None) -> Iterator[LibraryServices]:
    """``say`` hears, before the open, that the catalog is being upgraded and where its backup is kept."""
    if (revision := pending_upgrade(library)) is not None:
        say(upgrade_notice(library, revision))
    service = LibraryService.open(library, create=False)
    try:
        worker = Worker(service.catalog)
        worker.start()
        services = LibraryServices(service, worker, settings or load_settings(), secrets)
        try:
            # The download queue runs as in the window: what the last run left unfinished goes on, and the
            # API's downloads join it.
            worker.run(lambda: services.download_queue().astart(resume=True)).result(30)
            yield services
        finally:
            try:
                worker.run(services.aclose_downloads).result(30)
            finally:
                worker.stop()
                services.close()
    finally:
        service.close()


def upgrade_notice(library: Path, revision: str) -> str:
    """The line said before an older catalog is upgraded: which, from and to what, and where its backup goes
    (data/catalog.py names it by the old schema and the time it is made)."""
    folder = Path(library).expanduser().absolute()
    return (f"Upgrading the catalog {folder / CATALOG_NAME} from schema {revision} to {SCHEMA_HEAD} (a backup is "
            f"kept beside it in {folder}, as {CATALOG_NAME}{MIGRATION_BACKUP_INFIX}{revision}-<date and time>)…")
