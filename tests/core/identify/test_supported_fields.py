"""Which proposed fields the review dialog ticks: what the candidate's score supports."""

from __future__ import annotations

from bookdesk.core.identify.proposal import supported_fields


def candidate(score: float, parts: dict[str, float], penalties: list[str] | None = None) -> dict:
    return {"score": score, "penalties": penalties or [], "cover_url": "http://127.0.0.1:9/c.jpg",
            "parts": [{"name": n, "weight": 1.0, "value": v, "note": n} for n, v in parts.items()],
            "proposals": [{"field": f, "current": None, "proposed": "x", "source": "openlibrary"}
                          for f in ("title", "authors", "identifiers", "description", "publisher")]}


def test_a_clear_match_has_every_field_and_its_cover_supported() -> None:
    assert supported_fields(candidate(0.93, {"title": 0.95, "author": 1.0})) == {
        "title", "authors", "identifiers", "description", "publisher", "cover"}


def test_a_doubtful_match_has_only_the_fields_whose_evidence_agrees() -> None:
    assert supported_fields(candidate(0.62, {"title": 0.55, "author": 0.95})) == {"authors"}
    assert supported_fields(candidate(0.9, {"title": 1.0, "author": 1.0}, ["a study guide"])) == {"title", "authors"}
