"""Text folded for sorting and comparing: case, accents and spacing that a reader does not see."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Letters that Unicode does not decompose into a base letter and an accent, folded as a
# reader expects: "Jørgensen" ~ "Jorgensen", "Łódź" ~ "Lodz", "Ægir" ~ "Aegir".
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i",
                          "ħ": "h", "ŧ": "t", "ŋ": "n"})


def fold(text: str) -> str:
    """Case- and accent-folded text for sorting and comparing."""
    if text.isascii():  # most titles and names: nothing to decompose, at a tenth of the cost
        return _SPACES.sub(" ", text.casefold()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold().translate(_LETTERS)).strip()


@lru_cache(maxsize=65_536)
def fold_remembered(text: str) -> str:
    """``fold``, remembered: for the same texts folded again and again (every series and author of a
    library, each time the Series and Authors views read them: 20,000 folds take a third of a second)."""
    return fold(text)


def single_spaced(text: str) -> str:
    """One space between words, none at the ends."""
    return _SPACES.sub(" ", text).strip()
