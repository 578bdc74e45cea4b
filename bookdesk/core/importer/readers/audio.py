"""Audiobooks: one file, or a folder of parts, read with mutagen into one BookMetadata.

Audiobook files are tagged as if they were music: the book's title is usually the album,
and the title tag often says "Chapter 1" or "Track 03". For a book in parts the album is
the book, each part becomes one chapter at its start time in the whole book, and the
duration is the sum of the parts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.core.importer.metadata import BookMetadata, Chapter
from bookdesk.core.importer.readers.audio_tags import TrackTags, read_track
from bookdesk.core.importer.readers.tag_values import (
    clean,
    image_ext,
    language_code,
    people,
    published_from,
    strip_html,
)
from bookdesk.core.importer.units import BookUnit
from bookdesk.data.catalog_rows import SeriesRef
from bookdesk.errors import ImportFailedError
from bookdesk.vocabulary.positions import position_label
from bookdesk.vocabulary.titles import names_a_track

_T = TypeVar("_T")
MAX_PARTS = 2_000
# Genres that only say "this is an audiobook".
_GENERIC_GENRES = {"audiobook", "audiobooks", "audio book", "audio books", "hörbuch", "hörbücher", "spoken word",
                   "speech", "books & spoken", "books", "livre audio", "other"}


def read_audio(unit: BookUnit) -> BookMetadata:
    """The book a single audio file or a folder of parts is. A part that cannot be read fails
    the whole book, naming the part: a book with a silent gap is not complete."""
    if len(unit.parts) > MAX_PARTS:
        raise ImportFailedError(f"{unit.primary.parent.name} has {len(unit.parts):,} audio parts, over "
                                f"BookDesk's limit of {MAX_PARTS:,} for one book.")
    tracks = [read_track(part) for part in unit.parts]
    return _book(tracks, list(unit.parts))


def _book(tracks: list[TrackTags], paths: list[Path]) -> BookMetadata:
    first = tracks[0]
    album = Counter(t.album for t in tracks if t.album).most_common(1)
    album_title = album[0][0] if album else None
    meta = BookMetadata()
    if len(tracks) == 1:
        title = first.title
        meta.title = (album_title if album_title and (not title or names_a_track(title)) else title) or ""
        meta.chapters = first.chapters
    else:
        title = next((t.title for t in tracks if t.title and not names_a_track(t.title)), None)
        meta.title = album_title or (title if title and all(t.title == title for t in tracks) else "") or ""
        meta.chapters = _part_chapters(tracks, paths, album_title)
    durations = [t.duration for t in tracks if t.duration is not None]
    meta.duration_seconds = sum(durations) if len(durations) == len(tracks) else None
    authors = _first(tracks, lambda t: t.album_artists) or _first(tracks, lambda t: t.artists)
    narrators = _first(tracks, lambda t: t.narrators) or _first(tracks, lambda t: t.composers)
    meta.contributors = people(authors or [], "author") + people(narrators or [], "narrator")
    series, part = next((t.series_and_part() for t in tracks if t.series), (None, None))
    if series:
        meta.series = [SeriesRef(name=series, label=position_label(part))]
    asin = next((a for a in (normalise_asin(t.asin) for t in tracks if t.asin) if a), None)
    isbn = next((i for i in (normalise_isbn(t.isbn) for t in tracks if t.isbn) if i), None)
    meta.identifiers = {k: v for k, v in (("asin", asin), ("isbn", isbn)) if v}
    meta.subtitle = _first(tracks, lambda t: t.subtitle)
    meta.published = published_from(_first(tracks, lambda t: t.date))
    meta.description = strip_html(_first(tracks, lambda t: t.description))
    meta.language = language_code(_first(tracks, lambda t: t.language))
    meta.publisher = _first(tracks, lambda t: t.publisher)
    genres = _first(tracks, lambda t: t.genres) or []
    meta.subjects = [g for g in genres if g.casefold() not in _GENERIC_GENRES]
    cover = next((t.cover for t in tracks if t.cover), None)
    if cover is not None:
        meta.cover, meta.cover_ext = cover, image_ext(cover)
    return meta


def _first(tracks: list[TrackTags], pick: Callable[[TrackTags], _T]) -> _T | None:
    """The first part's value that is not empty: the parts of a book usually repeat the book's tags."""
    return next((value for value in map(pick, tracks) if value), None)


def _part_chapters(tracks: list[TrackTags], paths: list[Path], album: str | None) -> list[Chapter]:
    """One chapter per part, starting where the parts before it end."""
    chapters: list[Chapter] = []
    start = 0.0
    for track, path in zip(tracks, paths, strict=True):
        title = track.title if track.title and track.title != album else clean(path.stem.replace("_", " "))
        chapters.append(Chapter(title=title or path.stem, start_seconds=start))
        start += track.duration or 0.0
    return chapters
