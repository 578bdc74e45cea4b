"""What ``bookdesk abs pull``, ``push`` and ``send`` do alike: find the servers named, run one job in the
foreground over the library (its progress on stderr, under one Ref) and unwrap its result, a failure said
as every command says why it stopped."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bookdesk.cli.output import job_failed, progress_listener
from bookdesk.core.audiobookshelf.config import AbsServerConfig, find
from bookdesk.core.settings import load_settings
from bookdesk.errors import UsageError

if TYPE_CHECKING:
    from bookdesk.core.jobs import JobContext
    from bookdesk.data.catalog import Catalog

NO_SERVER = "No Audiobookshelf server yet: bookdesk abs add NAME URL"


def chosen_servers(name: str | None) -> list[AbsServerConfig]:
    """The server called ``name``, or every one switched on; UsageError when there is none."""
    chosen = find(load_settings().audiobookshelf_servers, name)
    if not chosen:
        raise UsageError(NO_SERVER)
    return chosen


def run_abs_job(library: Path, kind: str, title: str,
                job: Callable[[Catalog], Callable[[JobContext], Awaitable[Any]]], *, create: bool = False) -> Any:  # noqa: ANN401 - the job's report
    """The report of the job ``job(catalog)`` makes, run over the library at ``library`` (made first when
    ``create``, as a pull on a fresh install does). A job that failed raises its error (with --json,
    ``{"error": ...}`` and the Ref); one cancelled is said on stderr, and None is returned (exit 1)."""
    from bookdesk.core.jobs import JobRunner
    from bookdesk.core.library_service import LibraryService

    service = LibraryService.open(library, create=create)
    try:
        runner = JobRunner(service.catalog, listeners=[progress_listener()])
        result = asyncio.run(runner.run(runner.create(kind, title), job(service.catalog)))
    finally:
        service.close()
    if result.error is not None:
        raise result.error
    if result.state != "succeeded":
        job_failed(f"abs {kind.removeprefix('abs-')}", result)
        return None
    return result.value
