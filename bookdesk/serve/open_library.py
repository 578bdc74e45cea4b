"""The library opened for ``bookdesk serve``, as the window opens it: the LibraryService (which holds the
library's lock), one worker, the services over them, the saved settings and the given secrets, and the
download queue running on the worker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bookdesk.core.library_service import LibraryService
from bookdesk.core.library_services import LibraryServices
from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings, load_settings
from bookdesk.core.worker import Worker


@contextmanager
def opened_library(library: Path, secrets: SecretStore, settings: Settings | None = None) -> Iterator[LibraryServices]:
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
