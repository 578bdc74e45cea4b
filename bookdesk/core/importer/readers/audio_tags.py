"""One audio file's tags, in one shape whatever the container: MP4 atoms, ID3 frames or Vorbis
comments all become a ``TrackTags``. ``audio.py`` turns one or several of them into a book.

mutagen is asked to detect the container from the content (not only the extension), and
anything it raises is turned into ImportFailedError here, so one broken part fails alone.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import mutagen
from mutagen.mp3 import MPEGInfo

from bookdesk.core.importer.metadata import Chapter
from bookdesk.core.importer.readers import audio_limits
from bookdesk.core.importer.readers.tag_values import clean, image_ext
from bookdesk.errors import ImportFailedError

log = logging.getLogger(__name__)

MAX_COVER_BYTES = 16 * 1024 * 1024
MAX_CHAPTERS = 5_000
_NOT_PEOPLE = {"various artists", "various", "unknown artist", "unknown", "artist", "author"}
_SERIES_IN_NAME = re.compile(r"^(?P<name>.+?)(?:,\s*|\s+)(?:#|book\s+|vol\.?\s*|volume\s+)(?P<part>\d+(?:\.\d+)?)$",
                             re.IGNORECASE)


@dataclass(slots=True)
class TrackTags:
    title: str | None = None
    album: str | None = None
    subtitle: str | None = None
    artists: list[str] = field(default_factory=list)
    album_artists: list[str] = field(default_factory=list)
    composers: list[str] = field(default_factory=list)
    narrators: list[str] = field(default_factory=list)
    series: str | None = None
    series_part: str | None = None
    asin: str | None = None
    isbn: str | None = None
    date: str | None = None
    genres: list[str] = field(default_factory=list)
    description: str | None = None
    language: str | None = None
    publisher: str | None = None
    cover: bytes | None = None
    chapters: list[Chapter] = field(default_factory=list)
    duration: float | None = None
    track: int | None = None
    disc: int | None = None

    def offer_cover(self, data: object) -> None:
        """Keep the first picture that is a real image and not over the size cap."""
        if self.cover is None and isinstance(data, bytes) and len(data) <= MAX_COVER_BYTES and image_ext(data):
            self.cover = bytes(data)

    def series_and_part(self) -> tuple[str | None, str | None]:
        """The series, splitting "Name #3" or "Name, Book 3" when no separate position was given."""
        if (self.series and not self.series_part and len(self.series) <= 300
                and (match := _SERIES_IN_NAME.match(self.series))):
            return match["name"].strip(), match["part"]
        return self.series, self.series_part


def read_track(path: Path) -> TrackTags:
    """The tags of one audio file. Raises ImportFailedError for files mutagen cannot read."""
    from bookdesk.core.importer.readers import audio_id3, audio_mp4, audio_vorbis

    try:
        audio = _open(path)
    except ImportFailedError:
        raise
    except (mutagen.MutagenError, OSError) as exc:
        raise ImportFailedError(f"{path.name} is not a readable audio file ({exc}).") from exc
    except Exception as exc:  # a malformed file can trip mutagen in many ways; it must fail alone
        raise ImportFailedError(f"{path.name} is a damaged audio file ({type(exc).__name__}: {exc}).") from exc
    if audio is None:
        raise ImportFailedError(f"{path.name} is not an audio file BookDesk can read.")
    tags = TrackTags()
    try:
        kind = type(audio).__name__
        if kind in ("MP4", "EasyMP4"):
            audio_mp4.fill(tags, audio)
        elif audio.tags is not None and hasattr(audio.tags, "getall"):  # ID3, in MP3 (or AIFF, WAV)
            audio_id3.fill(tags, audio.tags)
        elif audio.tags is not None:  # Vorbis comments: FLAC, Ogg Vorbis, Opus, Speex
            audio_vorbis.fill(tags, audio)
    except Exception as exc:  # damaged tags: say which file, never escape as a library error
        raise ImportFailedError(f"{path.name} has damaged tags ({type(exc).__name__}: {exc}).") from exc
    length = getattr(getattr(audio, "info", None), "length", None)
    if isinstance(length, (int, float)) and math.isfinite(length) and length >= 0:
        tags.duration = float(length)
    tags.chapters = tags.chapters[:MAX_CHAPTERS]
    tags.artists = _people(tags.artists)
    tags.album_artists = _people(tags.album_artists)
    return tags


def _open(path: Path) -> Any:
    """mutagen's view of the file, after checking that its tag block is of a sane size."""
    moov = audio_limits.moov_size(path)
    if moov is not None and moov > audio_limits.MAX_MOOV_BYTES:
        raise ImportFailedError(f"{path.name}: its metadata block claims {moov:,} bytes, more than any real "
                                "audiobook has; it is not read.")
    id3 = audio_limits.id3_size(path)
    if id3 is not None and id3 > audio_limits.MAX_ID3_BYTES:
        # Tags that large are an attack, not a cover: keep the sound, read its length, skip the tags.
        log.warning("%s: its ID3 tag claims %s bytes; the tags are skipped.", path.name, id3)
        with path.open("rb") as fh:
            return SimpleNamespace(info=MPEGInfo(fh, offset=id3), tags=None)
    return mutagen.File(path)


def _people(names: list[str]) -> list[str]:
    return [n for n in names if n.casefold() not in _NOT_PEOPLE]


def texts(values: object) -> list[str]:
    """Clean, non-empty strings from a tag value that may be one value or a list of them."""
    items = values if isinstance(values, (list, tuple)) else [values]
    return [t for t in (clean(v.decode("utf-8", "replace") if isinstance(v, bytes) else v) for v in items) if t]


def number(value: object) -> int | None:
    """A track or disc number from "3", "3/12", 3 or (3, 12)."""
    if isinstance(value, tuple):
        value = value[0] if value else None
    text = clean(value, 32)
    if not text:
        return None
    head = text.split("/")[0].strip()
    return int(head) if head.isdigit() and len(head) < 7 else None


def grouping_tags(path: Path) -> tuple[str | None, int | None, int | None]:
    """(album, track, disc) for deciding which files are parts of one book; unreadable files give
    (None, None, None): discovery then goes by names, and the reader reports the damage."""
    try:
        if (audio_limits.id3_size(path) or 0) > audio_limits.MAX_ID3_BYTES or (
                audio_limits.moov_size(path) or 0) > audio_limits.MAX_MOOV_BYTES:
            return None, None, None  # the reader will say why; grouping must not load it
        audio = mutagen.File(path, easy=True)
        tags = audio.tags if audio is not None else None
        if not tags:
            return None, None, None
        album = next(iter(texts(tags.get("album", []))), None)
        return album, number(next(iter(tags.get("tracknumber", [])), None)), number(
            next(iter(tags.get("discnumber", [])), None))
    except Exception:  # noqa: BLE001 - any damage here only means "no tags to group by"
        return None, None, None
