"""Identify end to end: the real providers, HttpClient, RateLimiter, ResponseCache and IdentifyService
(made by ``identify_service``) against a provider world on 127.0.0.1 that plays Open Library,
Google Books, Hardcover and Audnexus over one catalogue of true books and their decoys.

The library holds books imported from real EPUBs (good metadata, with ISBNs) and books whose
metadata was spoiled the way tests/corpus.py's ``degrade`` spoils it (lower-cased title or no "The",
surname only or a letter dropped from the author, no ISBN), plus an audiobook known by its ASIN.

The world's limits are small (a few requests a second) so that ten books already run into them:
BookDesk's limiter is given the same counts and windows, and the world refuses anything above them
with a 429. Pauses after repeated failures are scaled down the same way, so hazards stay fast.
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from pathlib import Path

import httpx
import pytest

from bookdesk.core.identify.make_service import identify_service
from bookdesk.core.library_service import LibraryService
from bookdesk.core.logging_setup import setup_logging
from bookdesk.core.net.cache import ResponseCache
from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.factory import USER_AGENT
from bookdesk.core.net.rate_limiter import Rate, RateLimiter
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.secrets import HARDCOVER_TOKEN, InMemorySecretStore
from bookdesk.core.settings import Settings, save_settings, settings_path
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.work_repository import WorkRepository
from tests.conftest import write_epub
from tests.corpus import build_corpus
from tests.fakes.provider_world import Catalogue, Limit, ProviderWorld, bookdesk_rates, same_text

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

    def identify(self, run_job, work_ids: list[int] | None = None, *, token: str | None = None):  # noqa: ANN001
        """One identify job as the window or the CLI runs it; returns (report, requests sent)."""
        secrets_store = InMemorySecretStore({HARDCOVER_TOKEN: self.token if token is None else token})
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


@pytest.fixture
def library(tmp_path: Path, import_books):
    incoming = tmp_path / "incoming"
    clean = build_corpus(incoming, CLEAN_BOOKS, seed=11)
    (incoming / "manifest.json").unlink()
    service = LibraryService.open(tmp_path / "Library")
    result, report = import_books(service.catalog, [incoming])
    assert result.state == "succeeded" and report.count("added") == CLEAN_BOOKS
    truth: dict[int, dict] = {}
    with service.catalog.read() as session:
        repo = WorkRepository(session)
        for entry in clean:
            truth[repo.find_by_identifier("isbn", entry["isbn"])] = entry
    with service.catalog.write() as session:  # the spoiled ones, as the corpus' degrade leaves them
        repo = WorkRepository(session)
        for entry, title, authors in [*DEGRADED, AUDIOBOOK]:
            ids = {"asin": entry["asin"]} if entry.get("asin") else {}
            truth[repo.add(NewWork(title, [Contributor(a) for a in authors], identifiers=ids, language="en"))] = entry
    token = "hc_" + secrets.token_urlsafe(24)
    catalogue = Catalogue.from_truth([*truth.values(), *WORLD_ONLY], seed=5, asin_share=0.0, companion_share=1.0,
                                     omnibus_share=1.0, homonym_share=0.0, cover_share=1.0,
                                     coverage={"openlibrary": 1.0, "googlebooks": 1.0, "hardcover": 1.0})
    world = ProviderWorld(catalogue, limits=LIMITS, hardcover_tokens=[token]).start()
    yield Library(service, truth, world, token, tmp_path)
    world.stop()
    service.close()


def arrivals(world: ProviderWorld, provider: str) -> list[float]:
    start = world.requests()[0].at
    return [round(r.at - start, 3) for r in world.requests(provider)]


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


# ----- the good day ---------------------------------------------------------------------------


def test_every_book_is_identified_with_its_fields_and_the_provider_of_each(library, run_job):
    report, sent = library.identify(run_job)

    assert [r.status for r in report.results] == ["applied"] * len(library.truth), \
        [(r.work_id, r.status, r.reason) for r in report.results]
    assert library.wrong(report) == []
    assert report.notes == []
    for work_id, truth in library.truth.items():
        detail = library.service.detail(work_id)
        assert library.outcome(work_id) == (True, True)
        assert detail.identifiers["isbn"] == truth["isbn"]
        # Open Library matches author words exactly: "Pavel Kowalsk" finds nothing there.
        misspelt = truth["author"] == "Pavel Kowalski"
        assert {"google", "hardcover"} | (set() if misspelt else {"openlibrary"}) <= set(detail.identifiers)
        if truth["series"]:
            assert [(s.name, s.label) for s in detail.series] == [(truth["series"], f"{truth['index']:g}")]
        assert detail.description and "<" not in detail.description  # Google's HTML was cleaned
        assert detail.cover_path and detail.cover_path.endswith(".png")
        assert (library.folder / "Library" / detail.cover_path).read_bytes().startswith(b"\x89PNG")
        sources = {c.field: c.source for c in library.service.history(work_id)}
        # Hardcover is first in the default order and best at series; only Google has publishers.
        assert sources["publisher"] == "googlebooks"
        if truth["title"] in SPOILED:
            assert sources["title"] == sources.get("authors", "hardcover") == "hardcover"
        if truth["series"] and truth["title"] in SPOILED:  # the clean files named their series already
            assert sources["series"] == "hardcover"
        assert set(sources.values()) <= {"hardcover", "openlibrary", "googlebooks", "audnexus"}
        assert {c.correlation_id for c in library.service.history(work_id)} == {report.correlation_id}

    # Every request was paced, and the limits were met.
    world = library.world
    assert_paced(library)
    assert len(world.requests("hardcover")) > LIMITS["hardcover"].requests
    assert len(world.requests("googlebooks")) > LIMITS["googlebooks"].requests
    assert sent == len(world.requests())
    # One question per provider and book (Audnexus only for the audiobook), and Google's series
    # names; not counting the repeats of requests the world refused with a 429 (see the strict test).
    api = [r for r in world.requests() if r.provider != "images" and r.outcome != "rate_limited"]
    assert len(api) <= 4 * len(library.truth), [(r.provider, r.path, r.search) for r in api]
    assert len([r for r in api if r.provider != "googlebooks"]) == 2 * len(library.truth) + 1
    assert len(world.requests("audnexus")) == 1


def test_summaries_omnibuses_and_neighbours_in_every_answer_are_never_taken_for_the_book(library, run_job):
    """Each search in this world also returns a "Summary of ..." book, the series' omnibus and the
    author's other books; only the book itself may be applied."""
    asked = 0
    report, _ = library.identify(run_job)
    for record in library.world.requests("hardcover"):
        found = json.loads(record.body)["variables"]
        asked += 1 if "query" in found else 0
    assert asked >= len(DEGRADED)  # the spoiled books were searched for, not looked up
    assert library.wrong(report) == []
    titles = {library.service.detail(w).title.lower() for w in library.truth}
    assert not any(word in t for t in titles for word in ("summary", "study guide", "books 1-3", "box set",
                                                          "trilogy", "workbook", "conversation"))


def test_identifying_again_is_answered_from_the_cache(library, run_job):
    first, sent_first = library.identify(run_job)
    assert first.count("applied") == len(library.truth)
    library.service.undo_job(first.correlation_id)  # the books are as poor as before: same questions
    library.world.clear()

    again, sent_again = library.identify(run_job)

    assert [r.status for r in again.results] == [r.status for r in first.results]
    assert library.wrong(again) == []
    api = [r for r in library.world.requests() if r.provider != "images"]
    assert api == [], [(r.provider, r.url) for r in api]  # every question was answered from the cache
    # Covers are fetched again (they are not kept in the response cache, and the same picture is
    # not stored twice); nothing else goes out.
    assert sent_again == len(library.world.requests("images")) <= len(library.truth)
    assert sent_again < sent_first / 3


def test_identifying_books_that_were_identified_already_costs_no_new_searches(library, run_job):
    first, _ = library.identify(run_job)
    assert first.count("applied") == len(library.truth)
    library.world.clear()

    again, sent = library.identify(run_job)

    assert library.wrong(again) == []
    assert [r.status for r in again.results] == ["applied"] * len(library.truth)
    for result in again.results:  # at most a provider id that a search by ISBN found this time
        for change in result.changes:
            assert change["field"] == "identifiers" and change["old"].items() <= change["new"].items(), change
    asked = [(r.provider, r.search or r.path) for r in library.world.requests()
             if r.provider != "images" and r.outcome != "rate_limited"]
    # The books that were spoiled are asked about again by their new ISBN, a new question for the
    # cache; the others ask what they asked before, and the cache answers.
    assert len(asked) <= 3 * len(SPOILED), asked
    assert sent == len(library.world.requests())


# ----- files that name no author -----------------------------------------------------------------


def import_without_author(library: Library, import_books, entry: dict) -> int:  # noqa: ANN001
    folder = library.folder / f"no-author-{entry['isbn']}"
    folder.mkdir()
    write_epub_without_author(folder / "book.epub", entry["title"])
    result, report = import_books(library.catalog, [folder])
    [item] = report.items
    library.truth[item.work_id] = entry
    return item.work_id


def test_a_file_that_names_no_author_is_identified_by_a_title_only_one_book_has(library, run_job, import_books):
    work_id = import_without_author(library, import_books, UNIQUE_TITLE)

    report, _ = library.identify(run_job, [work_id])

    assert report.results[0].status == "applied", report.results[0].reason
    assert library.outcome(work_id) == (True, True)


def test_a_file_that_names_no_author_is_not_matched_to_one_of_two_books_of_its_title(library, run_job,
                                                                                      import_books):
    work_id = import_without_author(library, import_books, SHARED_TITLE)

    report, _ = library.identify(run_job, [work_id])

    assert report.results[0].status == "review", report.results[0].reason
    assert library.service.detail(work_id).title == SHARED_TITLE["title"]  # nothing applied
    [item] = library.service.reviews()
    assert {c["authors"][0] for c in item.candidates[:2]} == {"Lars Quintero", "Kofi Mensah"}


# ----- hazards --------------------------------------------------------------------------------


HAZARDS = [
    pytest.param("hardcover", {"down": "refused"}, "Hardcover", id="hardcover-refuses-connections"),
    pytest.param("hardcover", {"down": "503"}, "Hardcover", id="hardcover-503-maintenance"),
    pytest.param("googlebooks", {"html_rate": 1.0}, "Google Books", id="google-sends-html"),
    pytest.param("openlibrary", {"storm": 6, "storm_retry_after": 1}, None, id="openlibrary-429-storm"),
    pytest.param("googlebooks", {"error_rate": 0.3}, None, id="google-occasional-500s"),
    pytest.param("openlibrary", {"truncate_rate": 0.3}, None, id="openlibrary-cut-off-bodies"),
]


@pytest.mark.parametrize(("provider", "hazard", "noted"), HAZARDS)
def test_a_provider_in_trouble_costs_no_wrong_result_and_the_job_finishes_with_a_note(library, run_job, provider,
                                                                                     hazard, noted):
    library.world.hazard(provider, **hazard)
    library.settings = Settings(provider_urls=library.world.provider_urls())  # "refused": nothing listens

    # two books with ISBNs, the spoiled ones and the audiobook: enough for every path, and quick
    books = [w for w, t in library.truth.items() if t["title"] not in SPOILED][:2] + \
        [w for w, t in library.truth.items() if t["title"] in SPOILED]

    report, _ = library.identify(run_job, books)

    assert library.wrong(report) == []
    assert report.count("error") == 0
    if noted:
        assert any(noted in note for note in report.notes), report.notes
    # The others still tell the books apart (Hardcover down: Open Library and Google know them all).
    assert report.count("applied") >= len(books) - 1, [(r.work_id, r.status, r.reason) for r in report.results]
    assert_paced(library)


def test_a_short_storm_of_429s_does_not_switch_a_provider_off_for_the_rest_of_the_job(library, run_job):
    library.world.hazard("hardcover", storm=12, storm_retry_after=0)  # "too many; try again now"

    report, _ = library.identify(run_job)

    assert library.wrong(report) == []
    answered = [r for r in library.world.requests("hardcover") if r.status == 200]
    assert len(answered) >= len(library.truth) - 3, f"Hardcover answered {len(answered)} books, then was dropped"


def test_a_wrong_token_is_noted_and_the_other_providers_identify_the_books(library, run_job):
    report, _ = library.identify(run_job, token="not-the-token")

    assert library.wrong(report) == []
    assert any("Hardcover" in n and "token" in n for n in report.notes), report.notes
    assert report.count("applied") >= len(library.truth) - 1
    refused = library.world.requests("hardcover")
    assert refused and all(r.status == 401 for r in refused)


def test_a_refused_token_is_not_sent_again_for_every_book(library, run_job):
    library.identify(run_job, token="not-the-token")
    # Those already on their way when the first refusal came back (the limiter's burst) may go.
    assert len(library.world.requests("hardcover")) <= LIMITS["hardcover"].requests + 1


def test_every_request_a_provider_receives_was_let_go_by_the_rate_limiter(library, run_job):
    """What the providers count is what BookDesk paces: no request reaches them around the limiter
    (a retry, a redirect, a cover), and the limiter let no more go in a window than the limit.

    Counting arrivals in a window at the server instead would measure how late a loaded machine
    delivers them: BookDesk keeps a margin for that, but no margin holds on every machine."""
    library.identify(run_job)
    assert_paced(library)
    for provider, url in library.world.provider_urls().items():
        _, granted = library.grants.get(rate_key(url), (None, []))
        assert len(library.world.requests(provider)) == len(granted), (provider, len(granted))
    images = sum(len(times) for host, (_, times) in library.grants.items()
                 if host not in {rate_key(url) for url in library.world.provider_urls().values()})
    assert len(library.world.requests("images")) == images


# ----- secrets ----------------------------------------------------------------------------------


def test_the_token_reaches_only_hardcovers_authorization_header(library, run_job, tmp_path: Path):
    log_folder = tmp_path / "logs"
    log_path = setup_logging(logging.DEBUG, folder=log_folder)
    save_settings(library.settings)

    report, _ = library.identify(run_job)
    library.service.undo_job(report.correlation_id)
    library.identify(run_job)  # and once more, from the cache
    for handler in logging.getLogger("bookdesk").handlers:
        handler.flush()

    token = library.token.encode()
    logged = log_path.read_text(encoding="utf-8")
    assert "hardcover/v1/graphql" in logged and "-> 200" in logged  # the requests were logged
    checked = [settings_path(), log_path, *library.cache_dir.rglob("*"), *(library.folder / "Library").rglob("*")]
    assert any(p.name.endswith(".sqlite3") for p in checked)
    for path in checked:
        if path.is_file():
            assert token not in path.read_bytes(), path
    hardcover = library.world.requests("hardcover")
    assert hardcover and all(r.headers.get("authorization") == f"Bearer {library.token}" for r in hardcover)
    for record in library.world.requests():
        headers = {k: v for k, v in record.headers.items()
                   if not (record.provider == "hardcover" and k == "authorization")}
        assert library.token not in record.url and token not in record.body, record.url
        assert not any(library.token in v for v in headers.values()), record.url


# ----- the world itself -------------------------------------------------------------------------


def test_the_world_refuses_what_is_above_a_limit_and_what_lacks_a_token(library):
    world = library.world
    urls = world.provider_urls()
    with httpx.Client(timeout=5.0) as http:
        answers = [http.get(f"{urls['openlibrary']}/search.json", params={"q": "lantern"}) for _ in range(5)]
        refused = http.post(urls["hardcover"], json={"query": "query { search(query: \"x\") { results } }"})
        unknown = http.post(urls["hardcover"], headers={"Authorization": f"Bearer {library.token}"},
                            json={"query": "query { books(limit: 1) { id titel } }"})
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert {a.status_code for a in answers[3:]} == {429} and int(answers[3].headers["Retry-After"]) >= 1
    assert world.max_in_window("openlibrary") == 5 and world.rate_report()["openlibrary"]["exceeded"]
    assert refused.status_code == 401
    assert unknown.json()["errors"][0]["extensions"]["code"] == "validation-failed"
