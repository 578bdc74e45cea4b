"""Book titles as files, releases and providers write them: the title, its subtitle, and what is not the title.

- ``title_sort``: "The Hobbit" sorts as "Hobbit"; with the book's language, "Der Process" as
  "Process" and "L'Étranger" as "Étranger" (calibre's per-language articles).
- ``split_subtitle``: "Dune: Messiah" and "Dune - Messiah" are a title and a subtitle; "10:04" is one title.
- ``strip_noise``: "unabridged", "narrated by …", "read by …", bitrates, "[EPUB]", "(Retail)", a leading
  track number or year: none of these is the title.
- ``series_in_title``: "Thief of Time (Discworld, #26)", "(Discworld, #41; Tiffany Aching, #5)",
  "(The Series, 6)", "(The Series: Book 6)", "(The Series 2-5)", "The Final Empire (Mistborn, Book 1)" name
  series and positions; "(Unabridged Book 3)" does not.
- ``series_in_subtitle``: "Book One of The Malazan Book of the Fallen", "A Discworld Novel".
- ``title_and_author``: "Title by Author" and "Title - Author" in release and file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookdesk.vocabulary.folding import fold, single_spaced
from bookdesk.vocabulary.positions import LEAD_WORDS, NUMBER, RANGE_GLUE, read_position

# Leading articles by language (ISO 639-1), as calibre's per-language title sort has them.
ARTICLES: dict[str, tuple[str, ...]] = {
    "en": ("the", "a", "an"),
    "de": ("der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines"),
    "fr": ("le", "la", "les", "l'", "un", "une", "des"),
    "es": ("el", "la", "lo", "los", "las", "un", "una", "unos", "unas"),
    "it": ("il", "lo", "la", "i", "gli", "le", "l'", "un", "uno", "una", "un'"),
    "pt": ("o", "a", "os", "as", "um", "uma", "uns", "umas"),
    "nl": ("de", "het", "een", "'t"),
    "sv": ("en", "ett", "den", "det"),
    "da": ("en", "et", "den", "det"),
    "no": ("en", "et", "ei", "den", "det"),
    "nb": ("en", "et", "ei", "den", "det"),
}
_APOSTROPHE_ARTICLE = re.compile(r"^(l['’]|un['’]|'t\s)", re.IGNORECASE)
_SUBTITLE = re.compile(r"\s*:\s+|\s+[-–—]\s+")
_SEPARATORS = " ,;:-–—_."

_BRACKET_GROUP = re.compile(r"\s*[\[(]([^\[\]()]{0,200})[\])]\s*")
# Words in brackets or after a dash that say what kind of file it is, not what book.
_NOISE_WORDS = (
    r"retail|epub|mobi|azw3?|kfx|pdf|cbz|cbr|kf8|ebook|e-book|unabridged|abridged|mp3|m4b|m4a|aac|flac|ogg|opus"
    r"|audiobook|audio ?book|audible|v?\d+(?:\.\d+)+|z-?lib(?:\.org)?|z-library|1lib|libgen|calibre|converted"
    r"|scan(?:ned)?|ocr|digital|webrip|\d{2,3}\s*k(?:bps)?|\d+(?:\.\d+)?\s*kbps|\d{2}(?:\.\d)?\s*khz|vbr|cbr"
    r"|illustrated|english|eng|en|true pdf|repack|proper|official|dramati[sz]ed|full[- ]cast|graphic audio"
    r"|complete|uncut|rip|(?:with )?chapters|chaptered|m4b chapters|\d+(?:\.\d+)?\s*(?:gb|mb)")
_NOISE = re.compile(rf"^(?:{_NOISE_WORDS})(?:(?:[\s,;/+&-]+|\s+and\s+)(?:{_NOISE_WORDS}))*$", re.IGNORECASE)
_NARRATED = re.compile(r"\s*[-–—,(\[]?\s*\b(?:narrated|read|performed)\s+by\s+[^)\]]*[)\]]?\s*$", re.IGNORECASE)
_LEADING_TRACK = re.compile(r"^(?:track\s*)?\d{1,3}\s*(?:[-–—._)]\s*|\s+(?=\D))", re.IGNORECASE)
_LEADING_YEAR = re.compile(r"^[(\[]?(1[4-9]\d\d|20\d\d)[)\]]?\s*(?:[-–—:_.]\s*|\s+)(?=\S)")
_TRAILING_NOISE = re.compile(rf"\s*(?:[-–—_,]\s*)?\b(?:{_NOISE_WORDS})\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^(1[4-9]\d\d|20\d\d)$")

# Inside brackets: "Series, #3", "Series #3", "Series, Book 3", "Series: Book 3", "Series Book 3",
# "Series, 6", "Series 2-5", "Series, Vol. 2", "Book 3 of Series".
_POSITION_TEXT = rf"(?:(?:{LEAD_WORDS})\b\.?\s*#?\s*|#\s*)?{NUMBER}(?:{RANGE_GLUE}#?{NUMBER})?"
_SERIES_GROUP = re.compile(rf"^(?P<name>.*?\S)\s*(?:[,:]\s*|\s+)(?P<pos>{_POSITION_TEXT})$", re.IGNORECASE)
_WORD_POSITION = re.compile(rf"^(?P<name>.*?\S)\s*(?:[,:]\s*|\s+)(?P<pos>(?:{LEAD_WORDS})\.?\s+[a-z]+)$",
                            re.IGNORECASE)
_POSITION_OF_SERIES = re.compile(
    rf"^(?P<pos>(?:(?:{LEAD_WORDS})\b\.?\s*#?\s*)(?:{NUMBER}|[a-z]+))\s+(?:of|in)\s+(?:the\s+)?(?P<name>\S.*)$",
    re.IGNORECASE)
# A bracket whose "series" is only what kind of edition it is: "(Unabridged Book 3)" names no series.
_NOT_A_SERIES = re.compile(rf"^(?:{_NOISE_WORDS}|a|an|the|book|books|vol|volume|part|novel|edition|ed)$",
                           re.IGNORECASE)
# "by" then two to five capitalised words or initials: "Stand by Me" names nobody.
_TRAILING_BRACKETS = re.compile(r"\s*[(\[{][^()\[\]{}]*[)\]}]\s*$")
_NUMBER_TOKEN = r"(?:\d+(?:\.\d+)?|[ivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# "..., Book 1", "- Volume Two", "#3": a place in a series written at the end of a title.
_TRAILING_POSITION = re.compile(
    rf"(?:[\s,:;\-–—]+(?:book|bk|volume|vol|tome)\.?\s*{_NUMBER_TOKEN}|\s*#\s*\d+(?:\.\d+)?)\s*$", re.IGNORECASE)
# Words that name a piece of a recording rather than a book: "Audio File", "Track 01", "Part 1 of 12".
_PART_WORDS = {"audiobook", "audio", "file", "track", "trk", "tr", "part", "pt", "chapter", "chap", "ch",
               "disc", "disk", "cd", "side", "of", "kapitel", "teil", "chapitre", "capitulo", "section", "mp"}
_WORDS_AND_NUMBERS = re.compile(r"[^\W\d_]+|\d+")
# A title tag that names a piece of the book ("Chapter 3 - The Storm", "01 - Opening") rather than the book.
_TRACK_TITLE = re.compile(
    r"^\s*(?:(?:chapter|track|part|pt\.?|disc|disk|cd|kapitel|chapitre|cap[ií]tulo|teil|episode|section|file)"
    r"\s*[#.:-]?\s*\d+\b.*|\d{1,3}(?:\s*[-._:)]\s*|\s+)\S.*|\d{1,3})\s*$", re.IGNORECASE)
_BY = re.compile(r"^(?P<title>.+?)\s+by\s+(?P<author>(?:(?:[A-Z][\w'’.-]*|[A-Z]\.)\s+){1,4}[A-Z][\w'’.-]+)$")


@dataclass(frozen=True, slots=True)
class TitleSeries:
    """A title with the series it names taken out: ("The Final Empire", (("Mistborn", "1"),))."""

    title: str
    series: tuple[tuple[str, str], ...] = ()  # (series name, position label), in the order written


def title_sort(title: str, language: str | None = None) -> str:
    """The title without its leading article, by the book's language (English when not known)."""
    clean = single_spaced(title or "")
    articles = ARTICLES.get((language or "en").lower()[:2], ARTICLES["en"])
    match = _APOSTROPHE_ARTICLE.match(clean)
    if match and match.group(1).lower().replace("’", "'").strip() in articles and len(clean) > match.end():
        return clean[match.end():].lstrip()
    head, _, rest = clean.partition(" ")
    if rest and head.lower() in articles:
        return rest
    return clean


def split_subtitle(text: str) -> tuple[str, str | None]:
    """ "Dune: Messiah" -> ("Dune", "Messiah"); "10:04" -> ("10:04", None); "Dune - Messiah" likewise."""
    clean = single_spaced(text or "")
    parts = _SUBTITLE.split(clean, maxsplit=1)
    if len(parts) == 2 and parts[0].strip(_SEPARATORS) and parts[1].strip(_SEPARATORS):
        return parts[0].strip(), parts[1].strip()
    return clean, None


def is_noise(text: str) -> bool:
    """ "Unabridged", "EPUB", "Retail", "64kbps", "v1.0": words that say what file it is, not what book."""
    return bool(_NOISE.match(single_spaced(text).strip(_SEPARATORS)))


def strip_noise(text: str) -> str:
    """The title without bracketed file words, "narrated by …", bitrates, a leading track number or year."""
    clean = single_spaced((text or "").replace("_", " "))
    while True:
        before = clean
        clean = _NARRATED.sub("", clean)
        clean = _BRACKET_GROUP.sub(lambda m: " " if is_noise(m.group(1)) else m.group(0), clean).strip()
        clean = _TRAILING_NOISE.sub("", clean).strip(" -–—_,")
        if clean == before:
            break
    year = _LEADING_YEAR.match(clean)
    if year and not _YEAR.match(clean[year.end():].strip()):
        clean = clean[year.end():]
    track = _LEADING_TRACK.match(clean)
    if track and clean[track.end():].strip() and not _YEAR.match(clean[: track.end()].strip(" -–—._)")):
        clean = clean[track.end():]
    return single_spaced(clean) or single_spaced(text or "")


def series_in_title(title: str) -> TitleSeries:
    """The series a title names in brackets at its end, taken out of the title (see the module)."""
    text = single_spaced(title or "")
    found: list[tuple[str, str]] = []
    while True:
        match = re.search(r"\s*[(\[]([^()\[\]]{1,300})[)\]]\s*$", text)
        if not match:
            break
        named = _series_group(match.group(1))
        if not named:
            break
        found[:0] = named
        text = text[: match.start()].rstrip(" ,:;-–—")
    if not text:
        return TitleSeries(single_spaced(title or ""))
    return TitleSeries(text, tuple(found))


def _series_group(inner: str) -> list[tuple[str, str]]:
    """ "Discworld, #41; Tiffany Aching, #5" -> [("Discworld", "41"), ("Tiffany Aching", "5")]; [] when
    any part is not a series and a position."""
    named: list[tuple[str, str]] = []
    for part in re.split(r"\s*;\s*", inner.strip()):
        one = _one_series(part)
        if one is None:
            return []
        named.append(one)
    return named


def _one_series(part: str) -> tuple[str, str] | None:
    text = part.strip(" ,")
    match = _POSITION_OF_SERIES.match(text) or _SERIES_GROUP.match(text) or _WORD_POSITION.match(text)
    if not match:
        return None
    name = _with_article(text, match).strip(" ,:;-–—")
    position = read_position(match.group("pos"))
    if position.start is None or not name or _NOT_A_SERIES.match(name) or is_noise(name) or _YEAR.match(name):
        return None
    if not any(c.isalpha() for c in name):
        return None
    return name, position.label


def series_in_subtitle(subtitle: str | None) -> tuple[str, str] | None:
    """ "Book One of The Malazan Book of the Fallen" -> ("The Malazan Book of the Fallen", "1");
    "Discworld, Book 3" -> ("Discworld", "3"); "A Novel" -> None."""
    text = single_spaced(subtitle or "").strip(" ,:;-–—")
    if not text:
        return None
    match = _POSITION_OF_SERIES.match(text)
    if match:
        position = read_position(match.group("pos"))
        name = match.group("name").strip(" ,:;.")
        if position.start is not None and name:
            return _with_article(text, match), position.label
        return None
    one = _one_series(text)
    if one and re.search(rf"(?:{LEAD_WORDS})\b|#", text, re.IGNORECASE):
        return one
    return None


def _with_article(text: str, match: re.Match[str]) -> str:
    """The series name as written, keeping a leading "The" the pattern passed over."""
    before = text[: match.start("name")]
    article = re.search(r"\bthe\s+$", before, re.IGNORECASE)
    name = match.group("name").strip(" ,:;.")
    # "Book One of the Stormlight Archive": the article begins the series' name, so it is capitalised.
    return f"The {name}" if article else name


def strip_series_marker(title: str) -> str:
    """The title as shown, without "(Earthsea Cycle #1)", "[Book 2]", ", Book 1", "#3" or any other
    bracketed words at its end: what is left to compare with another title."""
    text = single_spaced(title or "")
    while True:
        shorter = _TRAILING_BRACKETS.sub("", text)
        shorter = _TRAILING_POSITION.sub("", shorter).rstrip(" ,:;-–—")
        if shorter == text or not shorter:
            return text
        text = shorter


def is_part_name(name: str) -> bool:
    """ "Audiobook", "Audio File", "part01", "track 1", "01", "Chapter 01", "Disc 1 - Track 03": a file name
    that only numbers a piece of a recording and says nothing about the book."""
    tokens = _WORDS_AND_NUMBERS.findall(name.casefold().replace("audio book", "audiobook"))
    # Numbers of parts are short: "1984" or "2001" is a title.
    return bool(tokens) and all((t.isdigit() and len(t) <= 3) or t in _PART_WORDS for t in tokens)


def names_a_track(title: str | None) -> bool:
    """A title tag of one part of an audiobook ("Chapter 3 - The Storm", "01 - Opening", "07"), which is
    not the book's title."""
    return bool(title and _TRACK_TITLE.match(title))


def title_and_author(text: str, authors_known: tuple[str, ...] = ()) -> tuple[str, str | None]:
    """ "Dune by Frank Herbert" -> ("Dune", "Frank Herbert"); "Dune - Frank Herbert" likewise when the
    second half is a known author's name (a release name names the author it is for)."""
    clean = single_spaced(text or "")
    by = _BY.match(clean)
    if by:
        return by.group("title").strip(" -–—,"), by.group("author").strip()
    if authors_known:
        known = {fold(a) for a in authors_known}
        parts = _SUBTITLE.split(clean)
        if len(parts) == 2:
            first, second = parts
            if fold(second) in known:
                return first.strip(), second.strip()
            if fold(first) in known:
                return second.strip(), first.strip()
    return clean, None

