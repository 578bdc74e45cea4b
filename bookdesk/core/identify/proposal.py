"""Turning a merged provider record into changes of a book's fields, and back into JSON for the
review queue."""

from __future__ import annotations

from dataclasses import dataclass

from bookdesk.core.candidate_scoring.decide import THRESHOLD
from bookdesk.core.candidate_scoring.merge import MergedRecord
from bookdesk.core.candidate_scoring.score import Score
from bookdesk.core.providers.base import Candidate
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.work_fields import field_value

# Fields an identification may change, in the order the review dialog shows them.
FIELDS = ("title", "subtitle", "authors", "narrators", "series", "identifiers", "description", "language",
          "publisher", "first_published")


@dataclass(frozen=True, slots=True)
class FieldProposal:
    field: str
    current: object
    proposed: object
    source: str


def proposals(work: WorkDetail, merged: MergedRecord) -> list[FieldProposal]:
    """The fields where the merged record says something new, each with the provider it came from."""
    values = merged.as_dict()
    out = []
    for field in FIELDS:
        proposed = values.get(field)
        if proposed in (None, "", [], {}):
            continue  # a provider that says nothing takes nothing away
        current = field_value(work, field)
        if field == "identifiers":
            proposed = {**current, **proposed}  # add what providers know; keep what the file had
        if _same(field, current, proposed):
            continue
        source = merged.sources.get(field) or merged.sources.get("identifiers", "provider")
        out.append(FieldProposal(field, current, proposed, source.split("+")[0]))
    return out


def _same(field: str, current: object, proposed: object) -> bool:
    if field == "series":
        return [(s["name"], s.get("label", "")) for s in current] == [(s["name"], s.get("label", ""))
                                                                     for s in proposed]  # type: ignore[union-attr]
    return current == proposed


def candidate_json(group: tuple[Candidate, ...], score: Score, merged: MergedRecord,
                   work: WorkDetail) -> dict:
    """What the review queue keeps of one candidate book."""
    best = group[0]
    return {
        "providers": sorted({c.provider for c in group}),
        "title": merged.title or best.title,
        "authors": merged.authors or best.authors,
        "score": score.total,
        "explain": score.explain(),
        "parts": [{"name": p.name, "weight": p.weight, "value": p.value, "note": p.note} for p in score.parts],
        "penalties": [p.note for p in score.penalties],
        "cover_url": merged.cover_url,
        # When this edition or recording came out: kept with the candidate in the review queue, never
        # stored as the book's first publication (the catalog has no column for it).
        "released": merged.released,
        "url": best.url,
        "proposals": [{"field": p.field, "current": p.current, "proposed": p.proposed, "source": p.source}
                      for p in proposals(work, merged)],
    }


# What each part of a score speaks for: a candidate that is doubtful as a whole may still say the same
# as the book about these (a title that differs only in case, the same author), and nothing more.
FIELD_EVIDENCE = {"title": "title", "subtitle": "title", "authors": "author", "narrators": "author",
                  "series": "series", "first_published": "year", "language": "language"}
AGREES = 0.9  # a part this high agrees with the book


def supported_fields(candidate: dict) -> set[str]:
    """The proposed fields of a stored candidate (``candidate_json``) that its score supports, for the
    review dialog to tick: all of them (and its cover, as "cover") for a candidate that scores as a
    clear match does (THRESHOLD or more, no penalty); for a doubtful one only the fields whose own
    evidence agrees with the book. The rest waits for the person's tick."""
    proposed = {p["field"] for p in candidate.get("proposals", [])}
    if candidate.get("cover_url"):
        proposed.add("cover")
    if candidate.get("score", 0.0) >= THRESHOLD and not candidate.get("penalties"):
        return proposed
    agreeing = {p["name"] for p in candidate.get("parts", []) if p.get("value", 0.0) >= AGREES}
    return {field for field in proposed if FIELD_EVIDENCE.get(field) in agreeing}
