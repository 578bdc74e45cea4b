"""Identify end to end when providers are in trouble or at their limits: no wrong result, a note,
every request paced by the rate limiter, and the world refusing what is above a limit."""

from __future__ import annotations

import httpx
import pytest

from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.settings import Settings
from tests.core.identify.identify_world import (
    SPOILED,
    assert_paced,
)

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
