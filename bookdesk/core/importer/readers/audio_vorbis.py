"""Vorbis comments (FLAC, Ogg Vorbis, Opus) into TrackTags.

Field names are free text, matched case-insensitively. Pictures are FLAC picture blocks or,
in Ogg, base64 ``METADATA_BLOCK_PICTURE`` comments; chapters follow the Ogg chapter
convention ``CHAPTER001=00:01:02.500`` with ``CHAPTER001NAME=...``.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from mutagen.flac import Picture

from bookdesk.core.importer.metadata import Chapter
from bookdesk.core.importer.readers.audio_tags import MAX_COVER_BYTES, TrackTags, number, texts

_FRONT_COVER = 3
_CHAPTER_KEY = re.compile(r"^CHAPTER(\d{1,4})$")
_TIME = re.compile(r"^(\d{1,3}):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def fill(tags: TrackTags, audio: Any) -> None:
    comments: dict[str, list[str]] = {}
    for key, value in list(audio.tags or []):
        comments.setdefault(str(key).upper(), []).append(value)

    def every(*keys: str) -> list[str]:
        for key in keys:
            found = texts(comments.get(key, []))
            if found:
                return found
        return []

    def first(*keys: str) -> str | None:
        return next(iter(every(*keys)), None)

    tags.title = first("TITLE")
    tags.album = first("ALBUM")
    tags.subtitle = first("SUBTITLE", "VERSION")
    tags.artists = every("ARTIST")
    tags.album_artists = every("ALBUMARTIST", "ALBUM ARTIST", "ALBUM_ARTIST")
    tags.composers = every("COMPOSER")
    tags.narrators = every("NARRATOR", "NARRATEDBY", "READER", "PERFORMER")
    tags.series = first("SERIES", "MVNM", "MOVEMENTNAME", "SERIES_NAME")
    tags.series_part = first("SERIES-PART", "SERIESPART", "SERIES_PART", "MVIN", "MOVEMENT", "SERIES_INDEX")
    tags.asin = first("ASIN", "AUDIBLE_ASIN", "AUDIBLEASIN")
    tags.isbn = first("ISBN")
    tags.date = first("DATE", "YEAR", "ORIGINALDATE", "RELEASEDATE")
    tags.genres = every("GENRE")
    tags.description = first("DESCRIPTION", "SUMMARY", "COMMENT")
    tags.language = first("LANGUAGE")
    tags.publisher = first("PUBLISHER", "ORGANIZATION", "LABEL")
    tags.track = number(first("TRACKNUMBER"))
    tags.disc = number(first("DISCNUMBER"))
    pictures = list(getattr(audio, "pictures", []) or []) + _ogg_pictures(comments.get("METADATA_BLOCK_PICTURE", []))
    for picture in sorted(pictures, key=lambda p: p.type != _FRONT_COVER):
        tags.offer_cover(picture.data)
    tags.chapters = _chapters(comments)


def _ogg_pictures(encoded: list[str]) -> list[Picture]:
    pictures: list[Picture] = []
    for value in encoded[:20]:
        if len(value) > MAX_COVER_BYTES * 4 // 3 + 1024:
            continue  # decoding it would only produce a cover over the cap
        try:
            pictures.append(Picture(base64.b64decode(value)))
        except (binascii.Error, Exception):  # a broken picture is no cover, not a broken book
            continue
    return pictures


def _chapters(comments: dict[str, list[str]]) -> list[Chapter]:
    found: list[tuple[float, int, str | None]] = []
    for key, values in comments.items():
        match = _CHAPTER_KEY.match(key)
        time = _TIME.match(values[0].strip()) if match and values else None
        if not time:
            continue
        hours, minutes, seconds = time.groups()
        start = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
        index = int(match[1])
        name = next(iter(texts(comments.get(f"{key}NAME", []))), None)
        found.append((start, index, name))
    found.sort(key=lambda c: (c[0], c[1]))
    return [Chapter(title=title or f"Chapter {i + 1}", start_seconds=start) for i, (start, _, title) in enumerate(found)]
