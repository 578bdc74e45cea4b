"""What the end-to-end identify tests share. They run the real providers, HttpClient, RateLimiter,
ResponseCache and IdentifyService (made by ``identify_service``) against a provider world on
127.0.0.1 that plays Open Library, Google Books, Hardcover and Audnexus over one catalogue of true
books and their decoys.

The library holds books imported from real EPUBs (good metadata, with ISBNs) and books whose
metadata was spoiled the way tests/corpus.py's ``degrade`` spoils it (lower-cased title or no "The",
surname only or a letter dropped from the author, no ISBN), plus an audiobook known by its ASIN.

The world's limits are small (a few requests a second) so that ten books already run into them:
BookDesk's limiter is given the same counts and windows, and the world refuses anything above them
with a 429. Pauses after repeated failures are scaled down the same way, so hazards stay fast.

The tests' ``library`` fixture (conftest.py) builds a ``Library`` of this module; the tests are
test_identify_good_day.py, test_identify_no_author.py, test_identify_hazards.py and
test_identify_token.py."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from bookdesk.core.identify.make_service import identify_service
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.cache import ResponseCache
from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.factory import USER_AGENT
from bookdesk.core.net.rate_limiter import Rate, RateLimiter
from bookdesk.core.secrets import HARDCOVER_TOKEN, InMemorySecretStore, SecretStore
from bookdesk.core.settings import Settings
from tests.conftest import write_epub
from tests.fakes.provider_world import Limit, ProviderWorld, bookdesk_rates, same_text

# Small enough that ten books meet every limit; each window a second, so that the 5% margin
# BookDesk keeps (50 ms) is larger than a loaded test machine's scheduling jitter.
LIMITS = {"openlibrary": Limit(3, 1.0), "openlibrary_covers": Limit(4, 1.0), "googlebooks": Limit(4, 1.0),
          "hardcover": Limit(4, 1.0), "audnexus": Limit(4, 1.0)}


IMAGE_HOSTS = Rate(20, 1.0, burst=5)  # the image hosts publish no limit; BookDesk's default is 1/s


# A host that keeps failing is left alone for 30 s, then 60 s, ... and a request gives up when it
# would wait more than 120 s; here 0.25 s, 0.5 s, ... and 6 s, so a provider that is down costs
# the job seconds rather than minutes (see the benchmark for the real ones).
PAUSE, MAX_WAIT = 0.25, 6.0


CLEAN_BOOKS = 5


def isbn13(stem: str) -> str:
    digits = [int(d) for d in stem]
    total = sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    return stem + str((10 - total % 10) % 10)


# The truth of the degraded books, and what their files (here: their catalog rows) still say.
DEGRADED = [
    ({"title": "The Lantern of Harbor 201", "author": "Mira Søndergaard", "series": "Harbor Chronicles",
      "index": 2, "isbn": isbn13("978020100001"), "asin": None}, "lantern of harbor 201", ["Søndergaard"]),
    ({"title": "The Quill of Thunder 202", "author": "Pavel Kowalski", "series": None, "index": None,
      "isbn": isbn13("978020200002"), "asin": None}, "the quill of thunder 202", ["Pavel Kowalsk"]),
    ({"title": "The Orchard of Glass 203", "author": "Rosa Castellanos", "series": "Glass Saga", "index": 1,
      "isbn": isbn13("978020300003"), "asin": None}, "Orchard of Glass 203", ["Rosa Castellanos"]),
]


AUDIOBOOK = ({"title": "The Winter of Signal 204", "author": "Hiro Nakamura", "series": "Signal Cycle", "index": 3,
              "isbn": isbn13("978020400004"), "asin": "B0WINTER04", "narrators": ["Kate Reading"],
              "runtime_min": 611}, "Winter of Signal 204", ["Nakamura"])


SPOILED = {entry["title"] for entry, _, _ in [*DEGRADED, AUDIOBOOK]}


# Books whose files name no author at all; the world also knows another "The Compass of Iron 206".
UNIQUE_TITLE = {"title": "The Meadow of Falcon 205", "author": "Greta Moreau", "series": None, "index": None,
                "isbn": isbn13("978020500005"), "asin": None}


SHARED_TITLE = {"title": "The Compass of Iron 206", "author": "Lars Quintero", "series": None, "index": None,
                "isbn": isbn13("978020600006"), "asin": None}


WORLD_ONLY = [UNIQUE_TITLE, SHARED_TITLE, {**SHARED_TITLE, "author": "Kofi Mensah", "isbn": isbn13("978020600016")}]


def write_epub_without_author(path: Path, title: str) -> None:
    """An EPUB that says its title and nothing else about who wrote it."""
    write_epub(path, f'<dc:title>{title}</dc:title><dc:identifier id="id">urn:uuid:'
               f'{uuid.uuid5(uuid.NAMESPACE_URL, title)}</dc:identifier><dc:language>en</dc:language>',
               version="2.0")


class GrantLog(RateLimiter):
    """The RateLimiter BookDesk uses, noting when it let each request go."""

    def __init__(self, grants: dict[str, tuple[Rate, list[float]]], *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._grants = grants

    async def acquire(self, host: str, *, cost: int = 1, **kwargs) -> float:  # noqa: ANN003
        waited = await super().acquire(host, cost=cost, **kwargs)
        # No await since the grant: this is the clock reading the grant was made at.
        rate, times = self._grants.setdefault(host, (self._state(host).rate, []))
        times.extend([self._clock()] * min(cost, rate.requests))
        return waited


class Library:
    """The test's library, the truth of every book in it, and a world that knows them."""

    def __init__(self, service: LibraryService, truth: dict[int, dict], world: ProviderWorld, token: str,
                 folder: Path) -> None:
        self.service, self.truth, self.world, self.token, self.folder = service, truth, world, token, folder
        self.catalog = service.catalog
        self.settings = Settings(provider_urls=world.provider_urls())
        self.cache_dir = folder / "cache"
        self.grants: dict[str, tuple[Rate, list[float]]] = {}  # host -> (its rate, when each request went)

    def identify(self, run_job, work_ids: list[int] | None = None, *, token: str | None = None,  # noqa: ANN001
                 secrets_store: SecretStore | None = None):
        """One identify job as the window or the CLI runs it; returns (report, requests sent). The secrets
        come from ``secrets_store`` when given, else a store holding the token."""
        secrets_store = secrets_store or InMemorySecretStore({HARDCOVER_TOKEN: self.token if token is None else token})
        ids = list(self.truth) if work_ids is None else work_ids
        sent = []

        async def job(ctx):  # noqa: ANN001, ANN202
            cache = ResponseCache(self.cache_dir)
            limiter = GrantLog(self.grants, bookdesk_rates(self.world, LIMITS), default=IMAGE_HOSTS,
                               first_pause=PAUSE, max_pause=60 * PAUSE)
            try:
                async with httpx.AsyncClient(headers={"User-Agent": USER_AGENT}, timeout=5.0) as http:
                    client = HttpClient(http, limiter, cache, max_wait=MAX_WAIT, backoff=0.1)
                    service = identify_service(self.catalog, client, self.settings, secrets_store)
                    try:
                        return await service.identify(ctx, ids)
                    finally:
                        sent.append(client.requests_sent)
            finally:
                cache.close()

        result, _ = run_job(self.catalog, job, kind="identify", title="Identify")
        assert result.state == "succeeded", result.error
        return result.value, sent[0]

    def outcome(self, work_id: int) -> tuple[bool, bool]:
        """(title right, authors right) for one book, against its truth."""
        detail = self.service.detail(work_id)
        truth = self.truth[work_id]
        return same_text(detail.title, truth["title"]), [a.casefold() for a in detail.authors] == [
            truth["author"].casefold()]

    def wrong(self, report) -> list[tuple[int, str, list[str]]]:  # noqa: ANN001
        """Books that were applied but are not the truth."""
        out = []
        for result in report.results:
            if result.status == "applied" and self.outcome(result.work_id) != (True, True):
                detail = self.service.detail(result.work_id)
                out.append((result.work_id, detail.title, detail.authors))
        return out


def assert_paced(library: Library) -> None:
    """No provider was let go more requests than its limit within any window of its limit, counted
    where BookDesk lets a request go (its RateLimiter's grants, on its own clock). Arrival times at
    the server add the delay of a loaded machine on the way, so they are no measure of BookDesk's
    pacing; the strict form at the server is its own test below."""
    assert library.grants, "no request was paced"
    for host, (rate, times) in library.grants.items():
        most = most_in_window(times, rate.per_seconds)
        assert most <= rate.requests, (host, most, [round(t - times[0], 3) for t in times])


def most_in_window(times: list[float], seconds: float) -> int:
    """The most of ``times`` (sorted) that fall within any window of ``seconds``."""
    most, start = 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - seconds:
            start += 1
        most = max(most, end - start + 1)
    return most


def import_without_author(library: Library, import_books, entry: dict) -> int:  # noqa: ANN001
    folder = library.folder / f"no-author-{entry['isbn']}"
    folder.mkdir()
    write_epub_without_author(folder / "book.epub", entry["title"])
    result, report = import_books(library.catalog, [folder])
    [item] = report.items
    library.truth[item.work_id] = entry
    return item.work_id
