"""Apply, review or give up: the choice after every candidate has been scored.

A match is applied only when the best candidate scores above a threshold AND stands clearly
above the runner-up that is a different book. Several providers describing one book (same
ISBN, or near-identical title and author) are one book, not rivals: they are grouped first.
Everything else waits for a person, with the reason in words.

Ranking: a candidate with the book's exact title and author (or its exact identifier) comes before
every candidate without, whatever their totals. A penalty can lower such a candidate's total below
a different author's book (Hardcover marks The Lord of the Rings a compilation; a study of it by
another author then scored higher); the penalty still keeps it from being applied unasked, but it
is never shown below that book.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bookdesk.core.candidate_scoring.names import author_similarity
from bookdesk.core.candidate_scoring.score import Score, normal_identifiers
from bookdesk.core.candidate_scoring.titles import companion_kind, is_omnibus, title_similarity
from bookdesk.core.providers.base import Candidate

APPLY = "apply"
REVIEW = "review"
NO_MATCH = "no_match"

# Tuned on degraded metadata (tests/core/candidate_scoring/test_degraded_metadata.py): the right book with
# a lower-cased or shortened title and a surname-only or misspelled author scores 0.9 and more;
# another book by the same author, or one that differs in a number or a series position, stays
# under 0.8; a summary of the book, whatever it matches, under 0.3.
THRESHOLD = 0.80
MARGIN = 0.15
FLOOR = 0.45  # below this even the best is not worth a person's time
SAME_TITLE = 0.92  # two candidates with titles this alike and the same authors are one book
SAME_TITLE_NO_AUTHOR = 0.97  # ...or this alike when one of them names no author
SAME_AUTHOR = 0.8
EXACT_TITLE = 0.97  # a title part this high is the same title, give or take case and punctuation


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: str  # APPLY, REVIEW or NO_MATCH
    best: Candidate | None
    score: Score | None  # the best candidate's
    runner_up: Candidate | None  # the best candidate of another book
    runner_up_score: Score | None
    reason: str  # "best 0.91, next 0.62: clear match"
    same_book: tuple[Candidate, ...] = field(default=())  # every candidate of the best's book, best first

    @property
    def total(self) -> float:
        return self.score.total if self.score else 0.0


def _positions_conflict(a: Candidate, b: Candidate) -> bool:
    for ours in a.series:
        for theirs in b.series:
            if (title_similarity(ours.name, theirs.name) >= 0.9 and ours.label and theirs.label
                    and ours.label.strip() != theirs.label.strip()):
                return True
    return False


def same_book(a: Candidate, b: Candidate) -> bool:
    """Do two candidates (often from two providers) describe the same book?"""
    kinds_a = (bool(a.is_companion or companion_kind(a.title, a.subtitle)),
               bool(a.is_compilation or is_omnibus(a.title, a.subtitle)))
    kinds_b = (bool(b.is_companion or companion_kind(b.title, b.subtitle)),
               bool(b.is_compilation or is_omnibus(b.title, b.subtitle)))
    if kinds_a != kinds_b:
        return False
    ids_a, ids_b = normal_identifiers(a.identifiers), normal_identifiers(b.identifiers)
    if any(ids_a.get(k) and ids_a.get(k) == ids_b.get(k) for k in ("isbn", "asin")):
        return True
    if _positions_conflict(a, b):
        return False
    title = title_similarity(a.title, b.title)
    if a.authors and b.authors:
        return title >= SAME_TITLE and author_similarity(a.authors, b.authors) >= SAME_AUTHOR
    return title >= SAME_TITLE_NO_AUTHOR


def exact(score: Score) -> bool:
    """Does the score say the candidate is the book by name: its exact identifier, or its exact title
    with its author (not a companion to it, which may share both)?"""
    if score.identified:
        return True
    title, author = score.part("title"), score.part("author")
    return (title is not None and author is not None and title.value >= EXACT_TITLE and author.value >= SAME_AUTHOR
            and all(p.name != "companion" for p in score.penalties))


def rank(item: tuple[Candidate, Score]) -> tuple[bool, float]:
    """Sort key, best first: exact candidates before all others, then by total."""
    return (not exact(item[1]), -item[1].total)


def group_same_book(scored: list[tuple[Candidate, Score]]) -> list[list[tuple[Candidate, Score]]]:
    """Candidates gathered into books, each book's best first, the best book first."""
    ordered = sorted(scored, key=rank)
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(ordered)):
        for j in range(i + 1, len(ordered)):
            if root(i) != root(j) and same_book(ordered[i][0], ordered[j][0]):
                parent[root(j)] = root(i)
    groups: dict[int, list[tuple[Candidate, Score]]] = {}
    for i, item in enumerate(ordered):
        groups.setdefault(root(i), []).append(item)
    return sorted(groups.values(), key=lambda g: rank(g[0]))


def decide(scored: list[tuple[Candidate, Score]], *, threshold: float = THRESHOLD, margin: float = MARGIN,
           floor: float = FLOOR) -> Decision:
    """Apply the best candidate, send it to review, or say nothing fits; with the reason."""
    if not scored:
        return Decision(NO_MATCH, None, None, None, None, "no candidates")
    groups = group_same_book(scored)
    best, best_score = groups[0][0]
    runner_up, runner_up_score = groups[1][0] if len(groups) > 1 else (None, None)
    top = best_score.total
    summary = f"best {top:.2f}" + (f", next {runner_up_score.total:.2f}" if runner_up_score else ", no other book")
    same = tuple(c for c, _ in groups[0])

    def verdict(kind: str, why: str) -> Decision:
        return Decision(kind, best, best_score, runner_up, runner_up_score, f"{summary}: {why}", same)

    if top < floor and not exact(best_score):  # the book by name is worth a person's look whatever its total
        return verdict(NO_MATCH, f"nothing scores {floor:.2f} or more")
    if best_score.penalised:
        return verdict(REVIEW, best_score.penalties[0].note)
    if best_score.part("identifier") is None and best_score.part("title") is None:
        return verdict(REVIEW, "neither an identifier nor a title to go on")
    if top < threshold:
        return verdict(REVIEW, f"below {threshold:.2f}")
    if runner_up_score is not None and top - runner_up_score.total < margin:
        # Identifiers come first in the evidence order: an exact ISBN or ASIN outranks a rival
        # that only looks alike.
        identifier = best_score.part("identifier")
        if identifier and best_score.identified and not runner_up_score.identified:
            return verdict(APPLY, f"{identifier.note}, the other book's does not")
        return verdict(REVIEW, f"too close to another book (margin under {margin:.2f})")
    return verdict(APPLY, "clear match")
