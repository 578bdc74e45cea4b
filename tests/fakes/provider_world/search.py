"""Searching the catalogue roughly the way each provider's engine does: tokenised, folded,
ranked by word overlap with rare words counting more."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

if TYPE_CHECKING:
    from tests.fakes.provider_world.books import Book

STOP_WORDS = frozenset({"the", "a", "an", "of", "and", "by", "in", "on", "to", "for", "with", "at", "from", "or"})
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "Ł": "l",
                       "đ": "d", "þ": "th", "ð": "d", "’": "", "'": ""})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def tokens(text: str | None) -> list[str]:
    return _WORD.findall(fold(text or ""))


@dataclass(frozen=True, slots=True)
class Engine:
    """How a provider's search matches words."""

    typo_min_len: tuple[int, int] | None = None  # word length for 1 and 2 typos; None: exact words only
    min_match: float = 0.5  # share of the query's words a result must have
    all_words: bool = False  # Typesense: every word, dropping words from the end until something matches
    split_join: bool = False  # "OlgaEklund" finds "Olga Eklund"


ENGINES = {
    "openlibrary": Engine(None, min_match=0.75),
    "googlebooks": Engine((5, 9), min_match=0.5),
    "hardcover": Engine((4, 7), all_words=True, split_join=True),
}
FIELD_WEIGHTS = {"title": 3.0, "subtitle": 1.5, "authors": 2.0, "series": 1.0}


class SearchIndex:
    def __init__(self, books: Iterable[Book]) -> None:
        self.books = list(books)
        self.fields = {b.id: {"title": tokens(b.title), "subtitle": tokens(b.subtitle),
                              "authors": [t for a in b.authors for t in tokens(a)], "series": tokens(b.series)}
                       for b in self.books}
        df: Counter[str] = Counter()
        for fields in self.fields.values():
            df.update(set(t for words in fields.values() for t in words))
        self.df = df

    def idf(self, word: str) -> float:
        return math.log(1 + (len(self.books) + 1) / (self.df.get(word, 0) + 0.5))

    def search(self, terms: Mapping[str | None, Sequence[str]], engine: Engine, limit: int,
               *, exact_fields: Iterable[str] = ()) -> list[Book]:
        """``terms`` maps a field group ("title", "authors", or None for any field) to query words.
        Every word of an ``exact_fields`` group must be found (Open Library's author= filter)."""
        query = {group: [w for w in words if w] for group, words in terms.items()}
        if engine.all_words:
            words = [(g, w) for g, ws in query.items() for w in ws]
            while words:
                found = self._rank(words, engine, 1.0, set(exact_fields))
                if found:
                    return found[:limit]
                words = words[:-1]  # Typesense's drop_tokens: from the right
            return []
        flat = [(g, w) for g, ws in query.items() for w in ws]
        return self._rank(flat, engine, engine.min_match, set(exact_fields))[:limit]

    def _rank(self, words: list[tuple[str | None, str]], engine: Engine, min_match: float,
              exact: set[str]) -> list[Book]:
        meaningful = [(g, w) for g, w in words if w not in STOP_WORDS] or words
        results = []
        for book in self.books:
            fields = self.fields[book.id]
            score, matched, ok = 0.0, 0, True
            for group, word in meaningful:
                names = ("title", "subtitle") if group == "title" else (group,) if group else tuple(fields)
                best = max((self._match(word, fields[name], engine) * FIELD_WEIGHTS[name] for name in names),
                           default=0.0)
                if best > 0:
                    matched += 1
                    score += best * self.idf(word)
                elif group in exact:
                    ok = False
                    break
            if not ok or not meaningful or matched / len(meaningful) < min_match - 1e-9:
                continue
            # a companion's extra words dilute it a little, as in any ranking of relevance
            length = len(fields["title"]) + len(fields["subtitle"])
            results.append((score / (1 + 0.02 * length), book.popularity, -book.id, book))
        results.sort(key=lambda r: (-r[0], -r[1], r[2]))
        return [r[3] for r in results]

    @staticmethod
    def _match(word: str, words: list[str], engine: Engine) -> float:
        if word in words:
            return 1.0
        if engine.typo_min_len and not word.isdigit():
            one, two = engine.typo_min_len
            allowed = 2 if len(word) >= two else 1 if len(word) >= one else 0
            if allowed and any(Levenshtein.distance(word, w, score_cutoff=allowed) <= allowed
                               for w in words if not w.isdigit()):
                return 0.8
        if engine.split_join and any(word == a + b for a, b in zip(words, words[1:], strict=False)):
            return 0.8
        return 0.0
