"""Explainable matching of provider candidates to books: names, titles, scores, decisions, merging.

Pure logic, no I/O: the identify job asks the providers, then scores every candidate against
what the library knows (``score_candidate``), decides (``decide``) and merges the chosen book's
candidates into one proposal (``merge``).
"""

from bookdesk.core.candidate_scoring.decide import (
    APPLY,
    NO_MATCH,
    REVIEW,
    Decision,
    decide,
    group_same_book,
    same_book,
)
from bookdesk.core.candidate_scoring.merge import MergedRecord, merge
from bookdesk.core.candidate_scoring.names import author_similarity, match_authors, match_names, parse_name
from bookdesk.core.candidate_scoring.score import KnownBook, Part, Penalty, Score, score_candidate
from bookdesk.core.candidate_scoring.titles import (
    companion_kind,
    compare_titles,
    is_omnibus,
    title_similarity,
)

__all__ = [
    "APPLY",
    "NO_MATCH",
    "REVIEW",
    "Decision",
    "KnownBook",
    "MergedRecord",
    "Part",
    "Penalty",
    "Score",
    "author_similarity",
    "companion_kind",
    "compare_titles",
    "decide",
    "group_same_book",
    "is_omnibus",
    "match_authors",
    "match_names",
    "merge",
    "parse_name",
    "same_book",
    "score_candidate",
    "title_similarity",
]
