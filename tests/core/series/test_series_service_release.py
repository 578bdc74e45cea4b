"""A series service let go is freed at once, with every series' answer it kept: a big library's worth
of objects must not wait for the cyclic collector (a benchmark makes a service per run, the app one per
open library)."""

from __future__ import annotations

import gc
import weakref

from series_builders import TODAY, add_books

from bookdesk.core.collector_pause import collector_paused
from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.service import SeriesService


def test_a_closed_series_service_is_freed_without_the_cyclic_collector(catalog):
    add_books(catalog, "Wayfarers", "1", "3")
    service = SeriesService(catalog, GapPolicy(today=TODAY))
    assert service.gaps()[0].overall.missing_labels == ["2"]
    service.close()
    gone = weakref.ref(service)

    with collector_paused():
        del service
        assert gone() is None
    gc.collect()
