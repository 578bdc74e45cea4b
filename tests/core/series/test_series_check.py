"""Checking a series with the providers: their listing is kept and the gaps follow it."""

from __future__ import annotations

from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.series import check as check_module
from bookdesk.core.series.listing import ListedBook, SeriesListing
from bookdesk.core.series.service import SeriesService
from bookdesk.core.settings import Settings
from bookdesk.data.catalog_rows import Contributor, NewFile, NewWork, SeriesRef
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

    async def fetch(client, settings, secrets, name, known, *, author=None, user_waiting=False, reached=None):  # noqa: ANN001
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


def test_an_authors_bibliography_completes_their_series_in_the_library(catalog, run_job, monkeypatch):
    from bookdesk.core.providers import series_hardcover

    with catalog.write() as session:
        WorkRepository(session).add(NewWork("Book 1", [Contributor("Ann Author")], series=[SeriesRef("Saga", "1")],
                                            files=[NewFile("a/1.epub", "epub", "ebook", 1, 1.0, "h1")]))
    series = SeriesService(catalog)

    async def author_series(self, author, *, notes=None, user_waiting=False):  # noqa: ANN001
        return [SeriesListing("hardcover", "Saga", "9", 3, [ListedBook(f"Book {n}", [author], str(n), float(n))
                                                              for n in (1, 2, 3)]),
                SeriesListing("hardcover", "Another Saga", "10", 2, [ListedBook("Other 1", [author], "1", 1.0)])]

    monkeypatch.setattr(series_hardcover.HardcoverSeries, "author_series", author_series)
    import httpx

    from bookdesk.core.net.client import HttpClient
    from bookdesk.core.net.rate_limiter import RateLimiter

    client = HttpClient(httpx.AsyncClient(), RateLimiter())  # never used: the answer is the fake's
    result, _ = run_job(catalog, lambda ctx: check_module.check_author(
        ctx, series, client, Settings(), InMemorySecretStore({"hardcover-token": "t"}), "Ann Author"))

    assert result.state == "succeeded"
    assert result.value.series_updated == ["Saga"] and result.value.other_series == ["Another Saga"]
    [saga] = series.summaries()
    assert saga.missing == 2 and saga.total == 3
    [author] = series.authors()
    assert author.overall.missing == 2

    no_token, _ = run_job(catalog, lambda ctx: check_module.check_author(
        ctx, series, client, Settings(), InMemorySecretStore(), "Ann Author"))
    assert "no token" in no_token.value.notes[0]
    series.close()


def test_an_author_check_says_when_the_keyring_refuses_hardcovers_token(catalog, run_job):
    import httpx

    from bookdesk.core.net.client import HttpClient
    from bookdesk.core.net.rate_limiter import RateLimiter
    from tests.fakes.refusing_secrets import RefusingFor

    series = SeriesService(catalog)
    client = HttpClient(httpx.AsyncClient(), RateLimiter())  # never used: no token, no request
    result, _ = run_job(catalog, lambda ctx: check_module.check_author(
        ctx, series, client, Settings(), RefusingFor("hardcover-token"), "Ann Author"))
    series.close()

    assert result.state == "succeeded", result.error
    assert result.value.notes == ["Hardcover skipped: your keyring did not give its token"]
