"""Checking a series with the providers: their listing is kept and the gaps follow it."""

from __future__ import annotations

from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.series import check as check_module
from bookdesk.core.series.listing import ListedBook, SeriesListing
from bookdesk.core.series.service import SeriesService
from bookdesk.core.settings import Settings
from bookdesk.data.records import Contributor, NewFile, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository


def test_a_listing_from_the_providers_adds_the_missing_later_books(catalog, run_job, monkeypatch):
    with catalog.write() as session:
        repo = WorkRepository(session)
        for n, label in enumerate(("1", "2")):
            repo.add(NewWork(f"Book {label}", [Contributor("Ann Author")], series=[SeriesRef("Saga", label)],
                             identifiers={"isbn": f"978000000000{n}"},
                             files=[NewFile(f"s/{n}.epub", "epub", "ebook", 1, 1.0, f"h{n}")]))
    series = SeriesService(catalog)
    [saga] = series.summaries()
    assert saga.missing == 0  # from the library alone, 1 and 2 of 2 is complete
    asked = []

    async def fetch(client, settings, secrets, name, known, *, author=None, user_waiting=False):  # noqa: ANN001
        asked.append((name, author, known["isbns"]))
        return [SeriesListing("hardcover", "Saga", "hc-7", 4, [
            ListedBook(f"Book {n}", ["Ann Author"], str(n), float(n)) for n in range(1, 5)])], ["a note"]

    monkeypatch.setattr(check_module, "fetch_listings", fetch)
    result, _ = run_job(catalog, lambda ctx: check_module.check_series(
        ctx, series, None, Settings(), InMemorySecretStore(), [saga.id]), kind="series-check")

    assert result.state == "succeeded"
    [check] = result.value.checks
    assert check.sources == ("hardcover",) and check.missing == 2 and check.total == 4
    assert result.value.notes == ["a note"]
    assert asked == [("Saga", "Ann Author", ["9780000000000", "9780000000001"])]
    [after] = series.summaries()
    assert after.missing == 2 and after.total == 4
    series.close()
