"""Book titles compared the way a reader would, and the titles that are not the book.

"the left hand of darkness" is "The Left Hand of Darkness: A Novel"; "Left Hand of Darkness" is
too; "A Wizard of Earthsea (Earthsea Cycle #1)" is "A Wizard of Earthsea"; "Two Towers" is
"2 Towers". "Shadow of River 17" is not "Shadow of River 71": numbers in a title tell books apart.
"Summary of Atomic Habits" and "Earthsea Books 1-3" are about the book, or hold it, but are not it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.titles import split_subtitle, strip_series_marker

_APOSTROPHES = re.compile(r"['’ʼ`]")
_NON_WORD = re.compile(r"[^\w]+|_")
_ARTICLES = ("the", "a", "an")
_STOP_WORDS = {"the", "a", "an", "and", "of", "in", "on", "to", "for", "with", "at", "by", "from", "or"}
# Subtitles that say what kind of book it is rather than which one.
_GENERIC_SUBTITLES = {"novel", "memoir", "thriller", "mystery", "romance", "novella", "story", "roman",
                      "novel of suspense", "unabridged", "abridged"}
_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_ROMAN = {"ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "xi": 11, "xii": 12}

SUBTITLE_SHARE = 0.15  # when both have a subtitle, it counts this much of the title
ONE_SUBTITLE = 0.97  # same main title, a subtitle on one side only
SERIES_AS_TITLE = 0.9  # the subtitle of one is the whole title of the other
NUMBERS_DIFFER = 0.5  # "Shadow of River 17" against "Shadow of River 71"
NUMBER_ONE_SIDE = 0.85  # "Shadow of River 17" against "Shadow of River"

_COMPANION_TITLES = [
    ("summary", re.compile(r"^(?:a |an )?summary\b(?!\s+(?:justice|judgment|judgement|execution))"
                           r"|\bsummary (?:of|and analysis|study guide)\b|\bsummary$|\bin summary\b")),
    ("study guide", re.compile(r"\bstudy guide\b|\bspark ?notes\b|\bcliffs? ?notes\b|\breader s guide\b"
                               r"|\breading group guide\b|\bteacher s guide\b|\blesson plans?\b|\bbook notes\b")),
    ("workbook", re.compile(r"\bworkbook\b")),
    ("analysis", re.compile(r"^(?:an )?analysis of\b|\b(?:literary|critical) analysis\b|\banalysis and review\b")),
    ("trivia", re.compile(r"\btrivia\b|\bquiz ?book\b|\bquizzes\b")),
    ("discussion guide", re.compile(r"\bconversation starters\b|\bdiscussion questions\b|\bbook club guide\b"
                                    r"|\bkey takeaways\b|\bcompanion to\b")),
]
# Publishers and "authors" of summaries, whose name alone gives them away.
_COMPANION_MAKERS = ("instaread", "supersummary", "sparknotes", "cliffsnotes", "bookrags", "quicklet",
                     "readtrepreneur", "bookhabits", "bright summaries", "quickread", "summary station")

_OMNIBUS = re.compile(
    r"\b(?:books?|vols?|volumes?|novels?|parts?)\s*(?:\d+|one|two|three|four|five)\s*(?:-|–|—|to|through|thru|and|&)"
    r"\s*(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"|#\s*\d+\s*(?:-|–|—)\s*\d+"
    r"|\bomnibus\b|\bbox(?:ed)? ?set\b|\bbundle\b|\banthology\b"
    r"|\bcomplete (?:series|trilogy|saga|collection|novels|works)\b|\bcollected (?:works|novels)\b"
    r"|\b(?:\d+|two|three|four|five|six|seven)[- ]book (?:set|collection|bundle|series|box)\b"
    r"|\b(?:trilogy|quartet|quintet|duology)$",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TitleKey:
    """A title reduced to what tells books apart."""

    main: str  # "left hand of darkness"
    subtitle: str  # "" when none, or only a generic one ("A Novel")
    numbers: tuple[str, ...]  # digits in the main title, words made digits: ("2",)
    all_numbers: tuple[str, ...]  # ...and in the subtitle

    @property
    def full(self) -> str:
        return f"{self.main} {self.subtitle}".strip()


@dataclass(frozen=True, slots=True)
class TitleMatch:
    value: float  # 0..1
    note: str  # "title matches", "title 92% similar", "title 45% similar (numbers differ: 17 vs 71)"


def _digits(words: list[str]) -> list[str]:
    """Number words as digits: "twenty one" -> "21", "nineteen eighty four" -> "1984"."""
    out: list[str] = []
    groups: list[int | None] = []  # parallel to out: the value when the word was a number word
    i = 0
    while i < len(words):
        word = words[i]
        if word in _TENS:
            value = _TENS[word]
            if i + 1 < len(words) and words[i + 1] in _UNITS and 0 < _UNITS[words[i + 1]] < 10:
                value += _UNITS[words[i + 1]]
                i += 1
        elif word in _UNITS:
            value = _UNITS[word]
        elif word in _ROMAN:
            value = _ROMAN[word]
        else:
            out.append(word)
            groups.append(None)
            i += 1
            continue
        previous = groups[-1] if groups else None
        if previous is not None and 10 < previous < 100 and 10 <= value < 100 and word not in _ROMAN:
            out[-1], groups[-1] = str(previous * 100 + value), None  # a year read aloud
        else:
            out.append(str(value))
            groups.append(value)
        i += 1
    return out


def _normal_words(text: str, *, drop_article: bool = True) -> list[str]:
    text = _APOSTROPHES.sub("", fold(text)).replace("&", " and ").replace("+", " and ")
    words = _digits(_NON_WORD.sub(" ", text).split())
    if drop_article and len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return words


@lru_cache(maxsize=8192)  # a batch compares the same few hundred titles many times over
def title_key(title: str) -> TitleKey:
    """ "The Left Hand of Darkness: A Novel (Hainish Cycle #4)" -> main "left hand of darkness"."""
    text = strip_series_marker(title)
    main, subtitle = _split_subtitle(text)
    main_words = _normal_words(main)
    sub_words = _normal_words(subtitle)
    sub = " ".join(sub_words)
    if sub in _GENERIC_SUBTITLES:
        sub = ""
    if not main_words:  # ": A Novel" alone, or punctuation only
        main_words, sub = sub.split(), ""
    return TitleKey(" ".join(main_words), sub, _numbers(main_words), _numbers(main_words + sub.split()))


def _numbers(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(w for w in words if w.isdigit()))


def _split_subtitle(text: str) -> tuple[str, str]:
    main, subtitle = split_subtitle(text)
    return main, subtitle or ""


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def _word_overlap(a: str, b: str) -> float:
    """How much of both titles' meaningful words the other has, by length, a typo allowed.

    Letters alone rate "Leviathan Wakes" 80% like "Leviathan Falls"; by words, only "leviathan" is shared.
    """
    wa = [w for w in a.split() if w not in _STOP_WORDS] or a.split()
    wb = [w for w in b.split() if w not in _STOP_WORDS] or b.split()
    total = sum(map(len, wa)) + sum(map(len, wb))
    if not total:
        return 0.0
    free = list(wb)
    shared = 0.0
    for word in sorted(wa, key=len, reverse=True):
        if not free:
            break
        best = max(free, key=lambda other: (other == word, _ratio(word, other)))
        similar = _ratio(word, best)
        if similar >= 0.8:
            shared += similar * (len(word) + len(best))
            free.remove(best)
    return shared / total


def _similar(a: str, b: str) -> float:
    """Letters and words must both agree: a typo costs little, a different word a lot."""
    if a == b:
        return 1.0
    return _ratio(a, b) * _word_overlap(a, b)


def _prefix(a: str, b: str) -> float:
    """A title cut short: "left hand of dark" against "left hand of darkness"; the less is left, the less it counts."""
    short, long = sorted((a, b), key=len)
    if len(short.split()) < 2 or len(short) < 8 or not long.startswith(short):
        return 0.0
    return 0.4 + 0.5 * len(short) / len(long)


@lru_cache(maxsize=8192)
def compare_titles(a: str, b: str) -> TitleMatch:
    """How alike two titles are after normalisation, with a short reason."""
    ka, kb = title_key(a), title_key(b)
    if not ka.main or not kb.main:
        return TitleMatch(0.0, "no title")
    if ka.full == kb.full:
        return TitleMatch(1.0, "title matches")
    if ka.main == kb.main:
        if ka.subtitle and kb.subtitle:
            value = 1 - SUBTITLE_SHARE + SUBTITLE_SHARE * _similar(ka.subtitle, kb.subtitle)
        else:
            value = ONE_SUBTITLE
        return TitleMatch(round(value, 4), f"title matches, subtitle {'differs' if value < ONE_SUBTITLE else 'on one side only'}")
    if ka.subtitle and kb.subtitle:
        value = (1 - SUBTITLE_SHARE) * _similar(ka.main, kb.main) + SUBTITLE_SHARE * _similar(ka.subtitle, kb.subtitle)
    else:
        value = _similar(ka.main, kb.main)
    value = max(value, _similar(ka.full, kb.full), _prefix(ka.main, kb.main), _prefix(ka.full, kb.full))
    # Numbers tell books apart ("River 17" and "River 71"), unless a subtitle only moved them.
    factor, note = (1.0, "") if ka.all_numbers == kb.all_numbers else _numbers_differ(ka.numbers, kb.numbers)
    readings = [(value * factor, note)]
    # "Mistborn: The Final Empire" against "The Final Empire", or "Earthsea 01 - A Wizard of Earthsea":
    # the series written as the title; the series number is not the title's.
    for one, other in ((ka, kb), (kb, ka)):
        if one.subtitle and not other.subtitle:
            factor, note = _numbers_differ(_numbers(one.subtitle.split()), other.numbers)
            readings.append((SERIES_AS_TITLE * _similar(one.subtitle, other.main) * factor, note))
    value, note = max(readings)
    return TitleMatch(round(value, 4), f"title {round(value * 100)}% similar{note}")


def _numbers_differ(ours: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[float, str]:
    if ours == theirs:
        return 1.0, ""
    if ours and theirs:
        return NUMBERS_DIFFER, f" (numbers differ: {' '.join(ours)} vs {' '.join(theirs)})"
    return NUMBER_ONE_SIDE, f" (number {' '.join(ours or theirs)} on one side only)"


def title_similarity(a: str, b: str) -> float:
    """0..1 after normalising case, accents, punctuation, articles, "&", series markers and numbers."""
    return compare_titles(a, b).value


def companion_kind(title: str, subtitle: str | None = None, makers: list[str] | tuple[str, ...] = ()) -> str | None:
    """ "summary", "study guide", "workbook", ... when the title (or its maker) is about a book, not a book."""
    kind = _companion_in(title) or _companion_in(subtitle or "")
    if kind:
        return kind
    for maker in makers:
        if maker and any(name in fold(maker) for name in _COMPANION_MAKERS):
            return "summary"
    return None


@lru_cache(maxsize=8192)
def _companion_in(text: str) -> str | None:
    words = " ".join(_NON_WORD.sub(" ", _APOSTROPHES.sub(" ", fold(text))).split())
    for kind, pattern in _COMPANION_TITLES:
        if words and pattern.search(words):
            return kind
    return None


def is_omnibus(title: str, subtitle: str | None = None) -> bool:
    """ "Earthsea Books 1-3", "The Complete Trilogy", "Box Set": several books in one."""
    return _omnibus_in(title or "") or _omnibus_in(subtitle or "")


@lru_cache(maxsize=8192)
def _omnibus_in(text: str) -> bool:
    return bool(text) and _OMNIBUS.search(fold(text).strip()) is not None
