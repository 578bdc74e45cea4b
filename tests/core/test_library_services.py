"""The services of an open library follow saved settings at once: no restart for a new provider order."""

from __future__ import annotations

from dataclasses import replace

from bookdesk.core.library_services import LibraryServices
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import Settings
from bookdesk.core.worker import Worker
from tests.core.series.series_builders import add_books, numbered


def test_a_new_provider_order_changes_whose_listing_the_series_figures_follow(service):
    add_books(service.catalog, "The Series", "1")
    services = LibraryServices(service, Worker(service.catalog), Settings(), InMemorySecretStore())
    try:
        series = services.series
        series_id = series.series_id("The Series")
        series.record_listings(series_id, [numbered("hardcover", 3), numbered("openlibrary", 2)])
        [before] = series.summaries()
        assert before.sources == ("hardcover", "openlibrary")  # the default order: Hardcover first

        order = ["openlibrary", "hardcover", "googlebooks", "audnexus"]
        services.apply_settings(replace(services.settings, provider_order=order))

        [after] = series.summaries()
        assert after.sources == ("openlibrary", "hardcover")
        assert services.settings.provider_order == order
    finally:
        services.close()
