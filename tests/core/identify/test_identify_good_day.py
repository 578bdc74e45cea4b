"""Identify end to end on a good day: every book identified with its fields and the provider of
each, decoys never taken for the book, and identifying again answered from the cache."""

from __future__ import annotations

import json

from tests.core.identify.identify_world import (
    DEGRADED,
    LIMITS,
    SPOILED,
    assert_paced,
)


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
