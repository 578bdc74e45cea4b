"""People's names compared the way a reader would.

"Le Guin, Ursula K." is "Ursula K. Le Guin" is "URSULA K LE GUIN"; "E.J." is "E. J." is "E J" (the
vocabulary's ``name_parts`` reads the parts; this module only compares them);
"Jr." is kept apart so it does not pass for a given name; "Brontë" is "Bronte". An initial
against a full given name ("U. K. Le Guin") is a strong but not a perfect match, a surname
alone is a good one, and a different given name with the same surname is a different person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations

from rapidfuzz import fuzz

from bookdesk.core.candidate_scoring.titles import title_similarity
from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.people import name_parts, split_people

# title_similarity lives in titles.py beside the other title rules; it is offered here too
# because callers think of "names" as what people and books are called.
__all__ = [
    "AuthorMatch",
    "NameMatch",
    "PersonName",
    "author_similarity",
    "match_authors",
    "match_names",
    "parse_name",
    "title_similarity",
]

_SAME_SUFFIX = {"jnr": "jr", "junior": "jr", "snr": "sr", "senior": "sr"}
# Words that start a surname: "Le Guin" alone is a surname, not a given name "Le".
_PARTICLES = {"le", "la", "de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "dos", "st", "ten",
              "ter", "mac", "mc", "o"}
_APOSTROPHES = re.compile(r"['’ʼ`]")
_NON_LETTER = re.compile(r"[^\w]+|_")

INITIAL_VS_FULL = 0.85  # "U." against "Ursula": very likely the same person, not certain
MISSING_MIDDLE = 0.95  # "Ursula Le Guin" against "Ursula K. Le Guin"
SURNAME_ONLY = 0.85  # "Le Guin" against "Ursula K. Le Guin"
SUFFIX_CONFLICT = 0.6  # "Jr." against "Sr.": father and son
# A different given name with the same surname keeps half of the surname's similarity: the
# family is right, the person is not.
GIVEN_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name split into folded, punctuation-free parts: given names, surname, suffix."""

    given: tuple[str, ...]  # ("ursula", "k")
    surname: str  # "le guin"
    suffix: str = ""  # "jr", "sr", "iii"
    raw: str = ""

    @property
    def words(self) -> tuple[str, ...]:
        return (*self.given, *self.surname.split())

    @property
    def compact(self) -> str:
        """Every letter in reading order, spaces gone: "ursulakleguin"."""
        return "".join(self.words)

    def __bool__(self) -> bool:
        return bool(self.surname or self.given)


@dataclass(frozen=True, slots=True)
class NameMatch:
    value: float  # 0..1
    note: str  # "exact", "name order differs", "written differently", "initials", "surname only", ...


@dataclass(frozen=True, slots=True)
class AuthorMatch:
    """The best pairing of two author lists."""

    value: float  # 0..1
    pairs: tuple[tuple[str, str, NameMatch], ...]  # (ours, theirs, how they compare), best pairing
    unpaired: int  # people on the longer side that nobody on the other side was paired with


def _words(text: str) -> list[str]:
    return _NON_LETTER.sub(" ", _APOSTROPHES.sub("", fold(text))).split()


@lru_cache(maxsize=8192)  # a batch compares the same few hundred names many times over
def parse_name(raw: str) -> PersonName:
    """ "Le Guin, Ursula K." and "URSULA K LE GUIN" -> given ("ursula", "k"), surname "le guin"."""
    parts = name_parts(raw or "")
    suffix = fold(parts.suffix).replace(".", "").replace(" ", "")
    suffix = _SAME_SUFFIX.get(suffix, suffix)
    given_words = [word for letter in parts.given_letters for word in _words(letter)]
    surname_words = _words(parts.surname)
    if given_words and all(word in _PARTICLES for word in given_words):
        surname_words, given_words = given_words + surname_words, []
    return PersonName(tuple(given_words), " ".join(surname_words), suffix, raw)


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def _given_word(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return 1.0, ""
    if (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return INITIAL_VS_FULL, "initials"
    similar = _ratio(a, b)
    return (similar, "spelling differs") if similar >= 0.75 else (0.0, "different given name")


@lru_cache(maxsize=8192)
def match_names(a: str, b: str) -> NameMatch:
    """How likely two written names are the same person, and in what way they differ."""
    pa, pb = parse_name(a), parse_name(b)
    if not pa or not pb:
        return NameMatch(0.0, "no name")
    suffix = SUFFIX_CONFLICT if pa.suffix and pb.suffix and pa.suffix != pb.suffix else 1.0
    if pa.words == pb.words:
        if suffix < 1.0:
            return NameMatch(suffix, f"different suffix ({pa.suffix} vs {pb.suffix})")
        if " ".join(a.split()).casefold() == " ".join(b.split()).casefold():
            return NameMatch(1.0, "exact")
        return NameMatch(1.0, "name order differs" if ("," in a) != ("," in b) else "written differently")
    structured, note = _structured(pa, pb)
    # Spelling slips that move a space ("ClaraBronte") or an order written without a comma
    # ("Le Guin Ursula K") defeat the split into parts; the whole name still reads the same.
    if sorted(pa.words) == sorted(pb.words):
        return NameMatch(suffix, "name order differs")
    # "García Márquez" against "Rosa García Márquez": a compound surname alone, which the split
    # into parts took for a given name and a surname.
    short, long = sorted((pa.words, pb.words), key=len)
    if 0 < len(short) < len(long):
        tail = _ratio("".join(short), "".join(long[-len(short):]))
        if tail >= 0.85 and SURNAME_ONLY * tail > structured:
            structured, note = SURNAME_ONLY * tail, "surname only"
    whole = max(_ratio(pa.compact, pb.compact), _ratio(" ".join(sorted(pa.words)), " ".join(sorted(pb.words))))
    if whole >= 0.9 and whole * 0.97 > structured:
        structured, note = whole * 0.97, "spelling differs"
    return NameMatch(round(structured * suffix, 4), note)


def _structured(pa: PersonName, pb: PersonName) -> tuple[float, str]:
    surname = _ratio(pa.surname.replace(" ", ""), pb.surname.replace(" ", ""))
    note = "" if surname == 1.0 else "spelling differs"
    if surname < 0.75:
        return surname * GIVEN_SHARE, "different person"
    if not pa.given or not pb.given:
        return surname * SURNAME_ONLY, "surname only"
    first, first_note = _given_word(pa.given[0], pb.given[0])
    middle, middle_note = 1.0, ""
    ma, mb = pa.given[1:], pb.given[1:]
    if ma and mb:
        scores = [_given_word(x, y) for x, y in zip(ma, mb, strict=False)]
        middle = sum(s for s, _ in scores) / len(scores)
        middle_note = next((n for _, n in scores if n), "")
    elif ma or mb:
        middle, middle_note = MISSING_MIDDLE, "middle name missing"
    given = first * middle
    if first == 0.0:
        note = "different given name"
    else:
        note = first_note or middle_note or note or "written differently"
    return surname * (GIVEN_SHARE + (1 - GIVEN_SHARE) * given), note


def match_authors(a: list[str] | tuple[str, ...], b: list[str] | tuple[str, ...]) -> AuthorMatch:
    """The best pairing of two lists of people, in any order; people left over cost a little."""
    left, right = split_people(a), split_people(b)
    if not left or not right:
        return AuthorMatch(0.0, (), max(len(left), len(right)))
    swapped = len(left) > len(right)
    short, long = (right, left) if swapped else (left, right)
    table = [[match_names(s, t) for t in long] for s in short]
    if len(long) <= 7:
        best = max(permutations(range(len(long)), len(short)),
                   key=lambda chosen: sum(table[i][j].value for i, j in enumerate(chosen)))
    else:  # an anthology's list of contributors: greedy is good enough
        taken: list[int] = []
        for row in table:
            free = [j for j in range(len(long)) if j not in taken]
            taken.append(max(free, key=lambda j, row=row: row[j].value))
        best = tuple(taken)
    pairs = tuple(
        (long[j], short[i], table[i][j]) if swapped else (short[i], long[j], table[i][j])
        for i, j in enumerate(best)
    )
    unpaired = len(long) - len(short)
    # A co-author or an illustrator on one side only is common and says little; many are an anthology.
    extra = max(0.75, 1.0 - 0.08 * unpaired)
    value = sum(m.value for _, _, m in pairs) / len(pairs) * extra
    return AuthorMatch(round(value, 4), pairs, unpaired)


def author_similarity(a: list[str], b: list[str]) -> float:
    """0..1: how well two author lists name the same people, order-insensitive. 0 when either is empty."""
    return match_authors(a, b).value
