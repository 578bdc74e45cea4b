"""People's names as books, files and providers write them.

- ``split_people``: "Stephen King, Peter Straub", "King, Stephen; Straub, Peter", "Pratchett, Terry,
  Gaiman, Neil", "A & B", "A and B", "A with B" are two people; "King, Stephen", "Tolkien, J. R. R."
  and "King, Martin Luther, Jr." are one; "et al." and "and others" name nobody.
- ``name_parts``: a name split into honorific, given names, surname and suffix: "Dr.", "Jr.",
  "III", "Jnr" stay with the person and out of the surname; particles (van, von, de, da, van der)
  go with the surname, and a capitalised "Van" that starts a name is a given name ("Van Morrison");
  initials with or without spaces and full stops ("J.R.R.", "J. R. R.", "JRR") are the same letters;
  CJK names and organisations ("National Geographic Society") are never turned round.
- ``display_name``: the name as the person signs it: "Le Guin, Ursula K." -> "Ursula K. Le Guin".
- ``author_sort``: calibre's author sort ("comma" method, with its surname prefixes on):
  "Ursula K. Le Guin" -> "Le Guin, Ursula K.", "Martin Luther King Jr." -> "King, Martin Luther Jr.",
  "Dr. Seuss" -> "Seuss"; a name already written "Last, First" is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bookdesk.vocabulary.folding import fold, single_spaced

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "rev", "fr", "lord", "lady", "capt"}
SUFFIXES = {"jr", "sr", "jnr", "snr", "junior", "senior", "ii", "iii", "iv", "v", "phd", "ph.d", "md", "m.d",
            "esq"}
PARTICLES = {"van", "von", "de", "da", "das", "dos", "du", "der", "den", "del", "della", "di", "la", "le", "ten",
             "ter", "st.", "bin", "ibn", "al", "el", "y", "zu"}
# calibre's "copywords" and their like: a name with one of these is an organisation, never turned round.
ORGANISATION_WORDS = {"agency", "corporation", "company", "co.", "council", "committee", "inc", "inc.", "institute",
                      "national", "society", "club", "team", "software", "games", "entertainment", "media",
                      "studios", "studio", "press", "publishing", "publishers", "books", "university", "association",
                      "foundation", "group", "staff", "editors", "museum", "library", "ltd", "ltd.", "llc",
                      "magazine", "organization", "organisation", "department", "board", "bureau", "commission"}
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Several people in one field. A comma alone is ambiguous ("Tolkien, J. R. R."), see split_people.
_SEPARATORS = re.compile(r"\s*;\s*|\s*&\s*|\s+and\s+|\s+with\s+|\s+/\s+|\s*\|\s*|\s*\u3001\s*|\s*\uff0c\s*",
                         re.IGNORECASE)
_NOBODY_MORE = re.compile(r",?\s*(?:\bet\.?\s*al\b\.?|\b(?:and|&)\s+(?:others|more|friends)\b|\bu\.\s*a\.)\s*",
                          re.IGNORECASE)
_INITIAL = re.compile(r"^[^\W\d_]\.?$")
_INITIALS_RUN = re.compile(r"^(?:[^\W\d_]\.){2,}$")  # "J.R.R."
_BRACKETED = re.compile(r"[\[({][^\])}]*[\])}]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_CHARS = 2_000
# Words that make a phrase a title rather than a name. Only function words and the vocabulary
# of books: "King", "White" or "Love" are surnames too.
_NOT_IN_NAMES = {"the", "a", "an", "of", "and", "in", "on", "to", "for", "with", "at", "from", "by", "my", "your",
                 "our", "his", "her", "its", "is", "are", "be", "how", "what", "why", "who", "when", "where",
                 "book", "books", "volume", "vol", "part", "chapter", "edition", "series", "collection", "novel",
                 "stories", "story", "tales", "guide", "complete", "unabridged", "audiobook", "saga", "trilogy",
                 "chronicles", "omnibus", "anthology", "box", "set"}
_CAPITAL_INITIAL = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]$")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’-][^\W\d_]+)*\.?$")
_SAME_SUFFIX = {"jnr": "jr", "junior": "jr", "snr": "sr", "senior": "sr"}


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name as written, in its parts; each part keeps its case and full stops."""

    given: tuple[str, ...] = ()  # ("Ursula", "K."), as written: "J.R.R." stays one word
    surname: str = ""  # "Le Guin"; the whole name for an organisation or a CJK name
    honorific: str = ""  # "Dr."
    suffix: str = ""  # "Jr.", "III"
    whole: bool = False  # never turned round: an organisation, a CJK name, a single word

    @property
    def given_letters(self) -> tuple[str, ...]:
        """The given names with runs of initials apart: "J.R.R." and "JRR" -> ("J", "R", "R")."""
        shouting = " ".join((*self.given, self.surname)).isupper()
        return tuple(w.strip(".") for token in self.given for w in _initials(token, shouting) if w.strip("."))

    @property
    def display(self) -> str:
        """ "Dr. Ursula K. Le Guin Jr." in reading order."""
        return " ".join(p for p in (self.honorific, *self.given, self.surname, self.suffix) if p)


def _word(token: str) -> str:
    return token.lower().rstrip(",")


def is_honorific(token: str) -> bool:
    return _word(token).rstrip(".") in HONORIFICS


def is_suffix(token: str) -> bool:
    word = _word(token)
    return word in SUFFIXES or word.rstrip(".") in SUFFIXES


def is_organisation(name: str) -> bool:
    return any(_word(t) in ORGANISATION_WORDS for t in name.split())


def is_cjk(name: str) -> bool:
    return bool(_CJK.search(name))


def _clean(value: object) -> str:
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return single_spaced(_CONTROL.sub(" ", text[: _MAX_CHARS * 4]))[:_MAX_CHARS]


def _is_half(part: str) -> bool:
    """ "Le Guin", "Ursula K.", "J. R. R.", "Terry": half of a "Last, First" name, not a whole one.

    A whole name has two words that are names, or an initial before a name ("J. Rowling")."""
    words = [w for w in part.split() if w.lower() not in PARTICLES and not is_honorific(w) and not is_suffix(w)]
    if is_cjk(part) or is_organisation(part):
        return False
    initials = [bool(_INITIAL.match(w) or _INITIALS_RUN.match(w)) for w in words]
    names = initials.count(False)
    return not (names >= 2 or (names >= 1 and initials[0]))


def _comma_people(piece: str) -> list[str]:
    """One piece between "&", ";", "and": the people its commas separate."""
    parts = [p.strip() for p in piece.split(",") if p.strip()]
    # A suffix after a comma belongs to the name before it: "King, Martin Luther, Jr.", "Kurt Vonnegut, Jr.".
    joined: list[str] = []
    for part in parts:
        if joined and (is_suffix(part) or all(is_suffix(w) for w in part.split())):
            joined[-1] = f"{joined[-1]}, {part}"
        else:
            joined.append(part)
    if len(joined) <= 1:
        return [piece.strip(" ,")] if piece.strip(" ,") else []
    if len(joined) == 2 and (_is_half(joined[0].split(",")[0]) or _is_half(joined[1].split(",")[0])):
        return [piece.strip(" ,")]  # "King, Stephen", "García Márquez, Gabriel", "Tolkien, J. R. R."
    people: list[str] = []
    i = 0
    while i < len(joined):
        here = joined[i]
        if _is_half(here.split(",")[0]) and i + 1 < len(joined) and _is_half(joined[i + 1].split(",")[0]):
            people.append(f"{here}, {joined[i + 1]}")  # "Pratchett, Terry, Gaiman, Neil"
            i += 2
        else:
            people.append(here)
            i += 1
    return people


def split_people(value: object) -> list[str]:
    """Each person a field names, once, as written ("King, Stephen" stays as it is)."""
    items = value if isinstance(value, list | tuple) else [value]
    names: list[str] = []
    seen: set[str] = set()
    for item in items:
        text = _NOBODY_MORE.sub(" ", _clean(item)).strip(" ,")
        for piece in _SEPARATORS.split(text):
            for name in _comma_people(piece):
                name = name.strip(" ,")
                key = person_key(name)
                if name and key and key not in seen:
                    seen.add(key)
                    names.append(name)
    return names


@lru_cache(maxsize=8192)  # a batch reads the same few hundred names many times over
def name_parts(raw: str) -> NameParts:
    """ "Le Guin, Ursula K." and "Ursula K. Le Guin" -> given ("Ursula", "K."), surname "Le Guin"."""
    text = _clean(raw).strip(" ,")
    if not text:
        return NameParts()
    if is_cjk(text) or is_organisation(text):
        return NameParts(surname=text, whole=True)
    suffix: list[str] = []
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    while len(pieces) > 1 and all(is_suffix(w) for w in pieces[-1].split()):
        suffix.insert(0, pieces.pop())
    if len(pieces) == 2:  # "Le Guin, Ursula K."
        surname_tokens, given_tokens = pieces[0].split(), pieces[1].split()
    else:
        tokens = " ".join(pieces).split()
        while len(tokens) > 1 and is_suffix(tokens[-1]) and not _looks_like_initial(tokens[-1], tokens):
            suffix.insert(0, tokens.pop())
        given_tokens, surname_tokens = _split_given_surname(tokens)
    honorific: list[str] = []
    while given_tokens and is_honorific(given_tokens[0]) and (len(given_tokens) > 1 or surname_tokens):
        honorific.append(given_tokens.pop(0))
    while surname_tokens and is_honorific(surname_tokens[0]) and len(surname_tokens) > 1:
        honorific.append(surname_tokens.pop(0))
    while len(surname_tokens) > 1 and is_suffix(surname_tokens[-1]):
        suffix.insert(0, surname_tokens.pop())
    given = tuple(given_tokens)
    whole = not given and len(surname_tokens) <= 1
    return NameParts(given, " ".join(surname_tokens), " ".join(honorific), " ".join(suffix), whole)


def _looks_like_initial(token: str, tokens: list[str]) -> bool:
    """ "V" in "Ursula V" could be a suffix or an initial; at the end after a given name it is a suffix
    only when spelled like one ("III", "Jr.")."""
    return token.rstrip(".").lower() == "v" and len(tokens) == 2


def _split_given_surname(tokens: list[str]) -> tuple[list[str], list[str]]:
    """ "Ursula K. Le Guin" -> (["Ursula", "K."], ["Le", "Guin"]); "Van Morrison" stays a given name
    and a surname; "Ludwig van der Rohe" -> (["Ludwig"], ["van", "der", "Rohe"])."""
    if len(tokens) == 1:
        return [], tokens
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in PARTICLES:
        start -= 1
    if start == 1 and tokens[0].lower() in PARTICLES and tokens[0].islower():
        start = 0  # "van Gogh", "de Beauvoir": a surname with its particle, no given name
    return tokens[:start], tokens[start:]


def _initials(token: str, shouting: bool) -> list[str]:
    """ "J.R.R." -> ["J.", "R.", "R."]; "JRR" or "EJ" (not in a name written in capitals) -> ["J", "R", "R"]."""
    if _INITIALS_RUN.match(token):
        return [f"{letter}." for letter in token.replace(".", "")]
    if 2 <= len(token) <= 3 and token.isalpha() and token.isupper() and not shouting:
        return list(token)
    return [token]


def display_name(name: str) -> str:
    """ "Le Guin, Ursula K." -> "Ursula K. Le Guin"; "King, Martin Luther, Jr." -> "Martin Luther King Jr."."""
    text = _clean(name).strip(" ,")
    if "," not in text:
        return text
    parts = name_parts(text)
    if parts.whole:
        return text
    return parts.display


def author_sort(name: str) -> str:
    """calibre's author sort for a name: see the module's description."""
    text = _clean(name).strip(" ,")
    if not text:
        return ""
    pieces = [p.strip() for p in text.split(",")]
    if len(pieces) > 1 and not all(all(is_suffix(w) for w in p.split()) for p in pieces[1:]):
        return text  # already "Last, First" (calibre's "comma" method keeps it)
    plain = _BRACKETED.sub(" ", text)
    parts = name_parts(plain)
    if parts.whole or not parts.given:
        return text if not parts.honorific else " ".join(p for p in (parts.surname, parts.suffix) if p)
    given = " ".join(parts.given)
    return f"{parts.surname}, {given}" + (f" {parts.suffix}" if parts.suffix else "")


@lru_cache(maxsize=8192)
def person_key(name: str) -> str:
    """One key for every way of writing a person: "J.R.R. Tolkien", "J. R. R. Tolkien", "JRR Tolkien",
    "Tolkien, J.R.R." and "TOLKIEN, J R R" all give "j r r tolkien". Honorifics are left out."""
    parts = name_parts(name)
    if parts.whole:
        return fold(parts.surname)
    key = fold(" ".join((*parts.given_letters, parts.surname)))
    if parts.suffix:
        suffix = fold(parts.suffix).replace(".", "")
        key += " " + _SAME_SUFFIX.get(suffix, suffix)
    return key


def name_likeness(text: str) -> int:
    """How surely a piece of a file or folder name names people: 0 not a name; 1 could be ("Stephen
    King"); 2 surely ("J. R. R. Tolkien", "King, Stephen"). Each person two to four capitalised words,
    initials and particles allowed; at most four people."""
    names = split_people(text)
    if not names or len(names) > 4:
        return 0
    return min(_one_name_likeness(n) for n in names)


def _one_name_likeness(name: str) -> int:
    head, comma, tail = name.partition(",")
    if comma:
        return 2 if _one_name_likeness(f"{tail.strip()} {head.strip()}") and "," not in tail else 0
    words = re.sub(r"\.(?=[A-Z])", ". ", name).split()
    core = [w for w in words if w.lower() not in PARTICLES]
    if not 2 <= len(core) <= 4 or words[0].lower() in PARTICLES:
        return 0
    initials = 0
    for word in core:
        if _CAPITAL_INITIAL.match(word):
            initials += 1
        elif not (_NAME_WORD.match(word) and word[0].isupper() and word.rstrip(".").lower() not in _NOT_IN_NAMES):
            return 0
    if initials == len(core):
        return 0
    return 2 if initials else 1


@dataclass(frozen=True, slots=True)
class Person:
    """A person as the library shows them: the name as signed, and calibre's sort name."""

    name: str
    sort_name: str


def person(name: str) -> Person:
    """A person from a name as written: "Le Guin, Ursula K." is shown "Ursula K. Le Guin", sorted as written."""
    written = _clean(name).strip(" ,")
    shown = display_name(written)
    return Person(shown, written if shown != written else author_sort(shown))
