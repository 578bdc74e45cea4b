"""Where each field goes in each tag format, and how to set or clear one key there.

For every field there are the keys BookDesk writes (``canonical``) and the other keys its
readers (readers/audio_mp4.py, audio_id3.py, audio_vorbis.py) accept for the same thing
(``aliases``). Canonical keys are always written; an alias is updated only when the file has
it already, so that no stale value survives in a key some reader looks at first, and players
that read that key see the new value too.

Key notation: MP4 ``©alb`` is an atom and ``----:NAME`` a freeform atom of any ``mean``;
ID3 ``TALB`` is a frame and ``TXXX:NAME`` a user frame (description matched upper-cased, as
the reader does); Vorbis keys are field names (matched case-insensitively by mutagen).
"""

from __future__ import annotations

from typing import Any

from mutagen import id3
from mutagen.mp4 import AtomDataType, MP4FreeForm

FIELDS = ("title", "album", "artist", "album_artist", "narrator", "series", "series_part", "asin", "date",
          "language", "publisher", "description")

# field: (canonical keys, aliases)
MP4_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "title": (("©nam",), ()),
    "album": (("©alb",), ()),
    "artist": (("©ART",), ()),
    "album_artist": (("aART",), ()),
    "narrator": (("©wrt", "----:NARRATOR"), ("©nrt", "----:NARRATEDBY")),
    "series": (("©mvn", "----:SERIES"), ("----:MVNM",)),
    "series_part": (("©mvi", "----:SERIES-PART"), ("----:SERIESPART", "----:SERIES_PART", "----:MVIN")),
    "asin": (("----:ASIN",), ("----:AUDIBLE_ASIN", "----:CDEK")),
    "date": (("©day",), ()),
    "language": (("----:LANGUAGE",), ()),
    "publisher": (("----:PUBLISHER",), ("©pub", "----:LABEL")),
    "description": (("desc",), ("ldes", "----:DESCRIPTION")),
}
ID3_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "title": (("TIT2",), ()),
    "album": (("TALB",), ()),
    "artist": (("TPE1",), ()),
    "album_artist": (("TPE2",), ()),
    "narrator": (("TCOM", "TXXX:NARRATOR"), ("TXXX:NARRATEDBY", "TXXX:NARRATED BY", "TXXX:READER")),
    "series": (("TXXX:SERIES",), ("MVNM", "TXXX:MVNM", "TXXX:SERIES_NAME")),
    "series_part": (("TXXX:SERIES-PART",),
                    ("MVIN", "TXXX:MVIN", "TXXX:SERIESPART", "TXXX:SERIES_PART", "TXXX:SERIES PART")),
    "asin": (("TXXX:ASIN",), ("TXXX:AUDIBLE_ASIN", "TXXX:AUDIBLEASIN")),
    "date": (("TDRC",), ()),
    "language": (("TLAN",), ("TXXX:LANGUAGE",)),
    "publisher": (("TPUB",), ("TXXX:PUBLISHER",)),
    "description": (("TXXX:DESCRIPTION",), ("TXXX:SUMMARY",)),
}
VORBIS_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "title": (("TITLE",), ()),
    "album": (("ALBUM",), ()),
    "artist": (("ARTIST",), ()),
    "album_artist": (("ALBUMARTIST",), ("ALBUM ARTIST", "ALBUM_ARTIST")),
    "narrator": (("COMPOSER", "NARRATOR"), ("NARRATEDBY", "READER")),
    "series": (("SERIES",), ("MVNM", "MOVEMENTNAME", "SERIES_NAME")),
    "series_part": (("SERIES-PART",), ("SERIESPART", "SERIES_PART", "MVIN", "MOVEMENT", "SERIES_INDEX")),
    "asin": (("ASIN",), ("AUDIBLE_ASIN", "AUDIBLEASIN")),
    "date": (("DATE",), ()),
    "language": (("LANGUAGE",), ()),
    "publisher": (("PUBLISHER",), ("ORGANIZATION", "LABEL")),
    "description": (("DESCRIPTION",), ("SUMMARY",)),
}

# ID3's TLAN holds ISO 639-2 codes; the catalog keeps ISO 639-1 ones. The reader maps these back.
_ISO_639_2 = {"en": "eng", "fr": "fre", "de": "ger", "es": "spa", "it": "ita", "nl": "dut", "pt": "por",
              "ru": "rus", "ja": "jpn", "zh": "chi", "sv": "swe", "no": "nor", "nb": "nob", "da": "dan",
              "fi": "fin", "pl": "pol", "cs": "cze", "hu": "hun", "el": "gre", "tr": "tur", "ko": "kor",
              "ar": "ara", "he": "heb", "hi": "hin", "uk": "ukr", "ca": "cat"}


def apply(tags: Any, keys: dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
          values: dict[str, list[str] | None]) -> None:
    """Write ``values`` (a list to write, [] to clear, None to leave alone) through ``tags``."""
    for field_name, value in values.items():
        if value is None:
            continue
        canonical, aliases = keys[field_name]
        for key in canonical + tuple(a for a in aliases if tags.has(a)):
            if value:
                tags.put(key, value)
            else:
                tags.delete(key)


def whole_number(values: list[str]) -> int | None:
    """A series position that fits a numeric slot (MP4 ©mvi, ID3 MVIN): "2" yes, "1.5" or "1-3" no."""
    text = values[0].strip() if values else ""
    if text.isdigit() and len(text) < 6:
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and 0 <= number < 100_000 else None


class Mp4Tags:
    MEAN = "com.apple.iTunes"

    def __init__(self, tags: Any) -> None:
        self.tags = tags

    def _freeform(self, name: str) -> list[str]:
        return [k for k in list(self.tags.keys())
                if k.startswith("----:") and k.count(":") >= 2 and k.split(":", 2)[2].upper() == name]

    def has(self, key: str) -> bool:
        return bool(self._freeform(key[5:])) if key.startswith("----:") else key in self.tags

    def put(self, key: str, values: list[str]) -> None:
        if key.startswith("----:"):
            existing = self._freeform(key[5:])
            atom = [MP4FreeForm(v.encode("utf-8"), dataformat=AtomDataType.UTF8) for v in values]
            self.tags[existing[0] if existing else f"----:{self.MEAN}:{key[5:]}"] = atom
            for duplicate in existing[1:]:  # one value per name: the reader would merge them
                del self.tags[duplicate]
        elif key == "©mvi":
            number = whole_number(values)
            if number is None:
                self.delete(key)  # an integer atom: "1.5" lives in the freeform SERIES-PART only
            else:
                self.tags[key] = [number]
        else:
            self.tags[key] = list(values)

    def delete(self, key: str) -> None:
        for found in (self._freeform(key[5:]) if key.startswith("----:") else [key]):
            self.tags.pop(found, None)


class Id3Tags:
    def __init__(self, tags: Any) -> None:
        self.tags = tags

    def _user(self, desc: str) -> list[Any]:
        return [f for f in self.tags.getall("TXXX") if (f.desc or "").upper() == desc]

    def has(self, key: str) -> bool:
        return bool(self._user(key[5:])) if key.startswith("TXXX:") else bool(self.tags.getall(key))

    def put(self, key: str, values: list[str]) -> None:
        if key.startswith("TXXX:"):
            existing = self._user(key[5:])
            if existing:
                existing[0].encoding, existing[0].text = id3.Encoding.UTF8, list(values)
                for duplicate in existing[1:]:
                    self.tags.delall(duplicate.HashKey)
            else:
                self.tags.add(id3.TXXX(encoding=id3.Encoding.UTF8, desc=key[5:], text=list(values)))
            return
        if key == "MVIN" and whole_number(values) is None:
            self.delete(key)  # a numeric frame; the position lives in TXXX:SERIES-PART
            return
        if key == "TLAN":
            values = [_ISO_639_2.get(v.lower(), v) for v in values]
        frame = getattr(id3, key)
        self.tags.setall(key, [frame(encoding=id3.Encoding.UTF8, text=list(values))])

    def delete(self, key: str) -> None:
        if key.startswith("TXXX:"):
            for frame in self._user(key[5:]):
                self.tags.delall(frame.HashKey)
        else:
            self.tags.delall(key)


class VorbisTags:
    def __init__(self, tags: Any) -> None:
        self.tags = tags

    def has(self, key: str) -> bool:
        return key in self.tags

    def put(self, key: str, values: list[str]) -> None:
        self.tags[key] = list(values)  # replaces every spelling of the key ("title", "TITLE")

    def delete(self, key: str) -> None:
        if key in self.tags:
            del self.tags[key]
