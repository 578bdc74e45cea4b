"""MP3 ID3 frames into TrackTags.

Standard frames (TIT2, TALB, TPE1, TPE2, TCOM, TDRC, TLAN, APIC, CHAP, MVNM/MVIN) plus
the TXXX user frames audiobook tools write; their descriptions vary in case and spelling
(SERIES-PART, SERIESPART, series_part), so TXXX frames are matched upper-cased.
"""

from __future__ import annotations

from typing import Any

from bookdesk.core.importer.metadata import Chapter
from bookdesk.core.importer.readers.audio_tags import TrackTags, number, texts
from bookdesk.core.importer.readers.tag_values import clean

_FRONT_COVER = 3
# iTunes and encoders leave technical COMM frames; they are not descriptions.
_TECHNICAL_COMMENTS = ("itun", "encoder", "replaygain", "musicmatch")


def fill(tags: TrackTags, frames: Any) -> None:
    user: dict[str, list[str]] = {}
    for frame in frames.getall("TXXX"):
        user.setdefault((frame.desc or "").upper(), []).extend(texts(frame.text))

    def every(*keys: str) -> list[str]:
        """The first key present, as a frame (four-letter keys) or as a TXXX description."""
        for key in keys:
            found = user.get(key, [])
            if len(key) == 4 and key.isalnum():
                found = [t for frame in frames.getall(key) for t in texts(list(getattr(frame, "text", [])))] or found
            if found:
                return found
        return []

    def first(*keys: str) -> str | None:
        return next(iter(every(*keys)), None)

    tags.title = first("TIT2")
    tags.album = first("TALB")
    tags.subtitle = first("TIT3", "SUBTITLE")
    tags.artists = every("TPE1")
    tags.album_artists = every("TPE2")
    tags.composers = every("TCOM")
    tags.narrators = every("NARRATOR", "NARRATEDBY", "NARRATED BY", "READER")
    tags.series = first("MVNM", "SERIES", "SERIES_NAME")
    tags.series_part = first("MVIN", "SERIES-PART", "SERIESPART", "SERIES_PART", "SERIES PART")
    tags.asin = first("ASIN", "AUDIBLE_ASIN", "AUDIBLEASIN")
    tags.isbn = first("ISBN")
    tags.date = first("TDRC", "TDRL", "TYER", "TORY", "DATE", "YEAR")
    tags.genres = [g for frame in frames.getall("TCON") for g in texts(list(frame.genres))]
    tags.description = first("DESCRIPTION", "SUMMARY") or _comment(frames)
    tags.language = first("TLAN", "LANGUAGE")
    tags.publisher = first("TPUB", "PUBLISHER")
    tags.track = number(first("TRCK"))
    tags.disc = number(first("TPOS"))
    pictures = sorted(frames.getall("APIC"), key=lambda p: p.type != _FRONT_COVER)
    for picture in pictures:
        tags.offer_cover(picture.data)
    tags.chapters = _chapters(frames)


def _comment(frames: Any) -> str | None:
    for frame in frames.getall("COMM"):
        if not (frame.desc or "").lower().startswith(_TECHNICAL_COMMENTS):
            found = texts(list(frame.text))
            if found:
                return found[0]
    return None


def _chapters(frames: Any) -> list[Chapter]:
    """CHAP frames, in time order; a chapter without a TIT2 sub-frame gets its number."""
    chapters = sorted(frames.getall("CHAP"), key=lambda c: c.start_time)
    found: list[Chapter] = []
    for i, chap in enumerate(chapters):
        title_frame = chap.sub_frames.get("TIT2")
        title = clean(title_frame.text[0]) if title_frame is not None and title_frame.text else None
        found.append(Chapter(title=title or f"Chapter {i + 1}", start_seconds=chap.start_time / 1000.0))
    return found
