"""What a release's name says: its format, its media kind, and the book title inside the noise.

Release names are written for people scrolling a tracker, not for parsers:
"Frank Herbert - Dune (1965) [Retail EPUB]", "Dune.Frank.Herbert.2019.Unabridged.M4B",
"Herbert, Frank - Dune - Narrated by Scott Brick [64kbps mp3]". These rules pull out the
parts that ranking needs and leave the rest alone.
"""

from __future__ import annotations

import re

from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.titles import strip_noise, title_and_author

EBOOK = "ebook"
AUDIOBOOK = "audiobook"
MEDIA_KINDS = (EBOOK, AUDIOBOOK)

# Format words as they appear in release names, and the format each one means.
FORMAT_WORDS: dict[str, str] = {
    "epub": "epub", "azw3": "azw3", "kf8": "azw3", "azw": "azw3", "mobi": "mobi", "pdf": "pdf", "cbz": "cbz",
    "cbr": "cbr", "djvu": "djvu", "fb2": "fb2", "m4b": "m4b", "m4a": "m4b", "aac": "m4b", "mp3": "mp3",
    "flac": "flac", "ogg": "ogg", "opus": "opus",
}
AUDIO_FORMATS = frozenset({"m4b", "mp3", "flac", "ogg", "opus"})
EBOOK_FORMATS = frozenset({"epub", "azw3", "mobi", "pdf", "cbz", "cbr", "djvu", "fb2"})
_AUDIO_HINTS = frozenset({"audiobook", "audiobooks", "audio book", "unabridged", "abridged", "narrated", "kbps",
                          "audible"})
# Newznab/Torznab categories: 3030 Audio/Audiobook, 7000 Books and its subcategories.
AUDIOBOOK_CATEGORIES = frozenset({3030})
EBOOK_CATEGORIES = frozenset({7000, 7010, 7020, 7030, 7040, 7050, 7060})

_BRACKETS = re.compile(r"[\[({][^\])}]*[\])}]")
_SCENE_SEPARATORS = re.compile(r"[._]+")
_SEGMENT = re.compile(r"\s+[-–—|]\s+|\s*/\s*")
_YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b")
_NOISE = frozenset({
    "retail", "ebook", "e book", "audiobook", "audio", "book", "unabridged", "abridged", "repack", "proper",
    "scan", "ocr", "converted", "kindle", "audible", "english", "eng", "multi", "vbr", "cbr", "cbz",
    *FORMAT_WORDS,
})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def name_words(name: str) -> list[str]:
    """The folded words of a release name, scene dots and underscores read as spaces."""
    return _WORD.findall(fold(_readable(name)))


def _readable(name: str) -> str:
    # "Dune.Frank.Herbert.EPUB" has no spaces: its dots are the spaces.
    return _SCENE_SEPARATORS.sub(" ", name) if " " not in name.strip() else name


def detect_format(name: str) -> str | None:
    """The file format the name announces ("epub", "m4b", ...); the last one named wins ties of mention."""
    found = [FORMAT_WORDS[w] for w in name_words(name) if w in FORMAT_WORDS]
    return found[-1] if found else None


def media_kind_of(name: str, categories: tuple[int, ...] | list[int] = (), fmt: str | None = None) -> str | None:
    """ebook, audiobook, or None when neither the category, the format nor the words say."""
    cats = set(categories)
    if cats & AUDIOBOOK_CATEGORIES:
        return AUDIOBOOK
    fmt = fmt or detect_format(name)
    if fmt in AUDIO_FORMATS:
        return AUDIOBOOK
    if fmt in EBOOK_FORMATS:
        return EBOOK
    folded = " ".join(name_words(name))
    if any(hint in folded for hint in _AUDIO_HINTS):
        return AUDIOBOOK
    if cats & EBOOK_CATEGORIES:
        return EBOOK
    return None


def title_candidates(name: str, author_words: set[str]) -> list[str]:
    """The stretches of a release name that could be the book's title: each " - " segment, and the whole
    name, with what is not the title (the vocabulary's noise: "narrated by …", bitrates, "[EPUB]"), every
    other bracketed tag, years, format words, "by Author" and the author's names taken out."""
    text = _YEAR.sub(" ", _BRACKETS.sub(" ", strip_noise(_readable(name))))
    found: list[str] = []
    for whole in [*_SEGMENT.split(text), text]:
        piece, _ = title_and_author(whole)
        words = [w for w in _WORD.findall(fold(piece)) if w not in _NOISE]
        if words and not set(words) <= author_words:
            kept = [w for w in words if w not in author_words] if whole is text else words
            if kept:
                found.append(" ".join(kept))
    return list(dict.fromkeys(found))
