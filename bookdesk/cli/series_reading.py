"""One answer from the series service of a library, for the commands that only read (gaps, wanted,
authors): they share the library with a running BookDesk and never create one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from bookdesk.core.library_service import LibraryService
from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.service import SeriesService

T = TypeVar("T")


@contextmanager
def _series_service(library: Path, policy: GapPolicy | None = None) -> Iterator[SeriesService]:
    library_service = LibraryService.open(library, exclusive=False, create=False)
    series = SeriesService(library_service.catalog, policy, follow_changes=False)  # one answer, then gone
    try:
        yield series
    finally:
        series.close()
        library_service.close()


def read_series(library: Path, ask: Callable[[SeriesService], T], policy: GapPolicy | None = None) -> T:
    with _series_service(library, policy) as service:
        return ask(service)
