"""Small helpers every reader needs: cleaning tag values, people as contributors, dates, languages.

Names and series positions are read by ``bookdesk.vocabulary``; these helpers only clean what
files hold and hand it over.

Tag values come from files anyone can write, so each helper tolerates anything (control
characters, absurd lengths, HTML) and returns ``None``/empty rather than raising.
"""

from __future__ import annotations

import html
import re

from bookdesk.data.catalog_rows import Contributor
from bookdesk.vocabulary.people import person, person_key, split_people

# Long enough for any real title or name (a thousand-character title survives); short enough
# that a tag of megabytes cannot travel further into the pipeline.
MAX_FIELD_CHARS = 2_000
MAX_DESCRIPTION_CHARS = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAGS = re.compile(r"<[^>]{0,2000}>")
# Block-level tags end a sentence or paragraph; dropping them without a space glues words.
_BLOCK_TAGS = re.compile(r"<\s*/?\s*(?:p|br|div|li|ul|ol|h[1-6]|tr|td|blockquote)\b[^>]{0,2000}>", re.IGNORECASE)
_DATE = re.compile(r"^\s*(?:D:)?(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?")


def clean(value: object, limit: int = MAX_FIELD_CHARS) -> str | None:
    """A tag value as one tidy line: no control characters, single spaces, capped; None if empty."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    text = " ".join(_CONTROL.sub("", text[: limit * 4]).split())[:limit].strip()
    return text or None


def strip_html(value: object, limit: int = MAX_DESCRIPTION_CHARS) -> str | None:
    """A description without markup: MOBI, Audiobookshelf and calibre store HTML there."""
    text = clean(value, limit * 4)
    if text is None:
        return None
    return clean(html.unescape(_TAGS.sub("", _BLOCK_TAGS.sub(" ", text))), limit)


def people(values: object, role: str = "author") -> list[Contributor]:
    """Contributors from one field or a list of fields, each possibly naming several people; a name
    written "Le Guin, Ursula K." is shown "Ursula K. Le Guin" and sorted as written."""
    items = values if isinstance(values, list | tuple) else [values]
    found: list[Contributor] = []
    seen: set[str] = set()
    for name in split_people([clean(item) for item in items]):
        one = person(name)
        if person_key(one.name) not in seen:
            seen.add(person_key(one.name))
            # A name written "Last, First" keeps that as its sort name; any other is sorted by the
            # catalog with the same rules when it is stored.
            found.append(Contributor(name=one.name, role=role, sort_name=one.sort_name if one.name != name else ""))
    return found


def published_from(value: object) -> str | None:
    """ "2004", "2004-05" or "2004-05-01" from the many ways files write a date (PDF's
    "D:20040501...", ISO times, "20040501"); None for nonsense such as calibre's year 0101."""
    text = clean(value, 64)
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day = match.groups()
    if not 1000 < int(year) < 2200:
        return None
    if month and 1 <= int(month) <= 12:
        if day and 1 <= int(day) <= 31:
            return f"{year}-{month}-{day}"
        return f"{year}-{month}"
    return year


def year_from(value: object) -> str | None:
    published = published_from(value)
    return published[:4] if published else None


def image_ext(data: bytes | None) -> str | None:
    """The file extension an image's first bytes say it has, or None when it is not an image."""
    if not data:
        return None
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


# ID3's TLAN and many taggers use ISO 639-2 codes; EPUBs and providers use ISO 639-1.
_LANGUAGES = {"eng": "en", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "spa": "es", "ita": "it",
              "dut": "nl", "nld": "nl", "por": "pt", "rus": "ru", "jpn": "ja", "chi": "zh", "zho": "zh",
              "swe": "sv", "nor": "no", "nob": "nb", "dan": "da", "fin": "fi", "pol": "pl", "cze": "cs",
              "ces": "cs", "hun": "hu", "gre": "el", "ell": "el", "tur": "tr", "kor": "ko", "ara": "ar",
              "heb": "he", "hin": "hi", "ukr": "uk", "cat": "ca", "english": "en", "french": "fr",
              "german": "de", "spanish": "es", "italian": "it", "dutch": "nl", "deutsch": "de"}


def language_code(value: object) -> str | None:
    """A language as the two-letter code other sources use when it is a common three-letter code
    or English name; anything else as given."""
    text = clean(value, 64)
    if not text:
        return None
    return _LANGUAGES.get(text.lower(), text)
