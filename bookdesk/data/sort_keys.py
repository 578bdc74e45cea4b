"""Keys for sorting and matching names and titles the way a reader expects.

"The Left Hand of Darkness" sorts under L, "Brontë" next to "Bronte", and
"Ursula K. Le Guin" under "Le Guin".
"""

from __future__ import annotations

import re
import unicodedata

_ARTICLES = ("the ", "a ", "an ")
_PARTICLES = {"le", "la", "de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "dos", "st.", "ten", "ter"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."}
_SPACES = re.compile(r"\s+")
# Letters that Unicode does not decompose into a base letter and an accent, folded as a
# reader expects: "Jørgensen" ~ "Jorgensen", "Łódź" ~ "Lodz", "Ægir" ~ "Aegir".
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i",
                          "ħ": "h", "ŧ": "t", "ŋ": "n"})


def fold(text: str) -> str:
    """Case- and accent-folded text for sorting and comparing."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold().translate(_LETTERS)).strip()


def title_sort(title: str) -> str:
    """The title without a leading English article: "The Hobbit" -> "Hobbit"."""
    clean = _SPACES.sub(" ", title).strip()
    lowered = clean.lower()
    for article in _ARTICLES:
        if lowered.startswith(article) and len(clean) > len(article):
            return clean[len(article):]
    return clean


def author_sort(name: str) -> str:
    """ "Ursula K. Le Guin" -> "Le Guin, Ursula K."; "Martin Luther King Jr." -> "King, Martin Luther, Jr."."""
    clean = _SPACES.sub(" ", name).strip().rstrip(",")
    head, comma, tail = clean.partition(",")
    if comma and tail.strip().lower() in _SUFFIXES and " " in head.strip():
        clean = f"{head.strip()} {tail.strip()}"  # "Kurt Vonnegut, Jr." is not "Last, First"
    if not clean or "," in clean:
        return clean  # already "Last, First", or a single word
    words = clean.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1].lower().rstrip(",") in _SUFFIXES:
        suffix = words.pop()
    if len(words) == 1:
        return clean
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    last, first = " ".join(words[start:]), " ".join(words[:start])
    return f"{last}, {first}" + (f", {suffix}" if suffix else "")
