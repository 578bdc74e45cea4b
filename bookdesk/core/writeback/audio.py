"""Writing metadata into audiobook tags: M4B/M4A atoms, MP3 ID3 frames, FLAC/Ogg/Opus Vorbis comments.

Each part is copied to a hidden file beside it, tagged there with mutagen, read back with
BookDesk's own tag reader, and only when every part of the book has been checked do the
copies replace the originals (an atomic rename each). Sound, pictures and chapters are not
touched. In a book of several parts the book's tags (album, people, series, ...) go into
every part; each part keeps its own title and track number.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mutagen

from bookdesk.core.importer.discovery import discover
from bookdesk.core.importer.identifiers import normalise_asin
from bookdesk.core.importer.readers import audio_tags
from bookdesk.core.importer.readers.audio_tags import TrackTags, read_track
from bookdesk.core.importer.readers.tag_values import clean, language_code, published_from
from bookdesk.core.writeback import audio_formats
from bookdesk.core.writeback.errors import WritebackError
from bookdesk.core.writeback.files import Snapshot, describe, discard, finish, snapshot, temp_beside
from bookdesk.core.writeback.metadata import WritableMetadata
from bookdesk.errors import BookDeskError
from bookdesk.vocabulary.people import split_people
from bookdesk.vocabulary.positions import position_label

log = logging.getLogger(__name__)

AUDIO_FORMATS = frozenset({"m4b", "m4a", "mp3", "flac", "ogg", "opus"})
_VORBIS = {"FLAC", "OggVorbis", "OggOpus", "OggFLAC", "OggSpeex"}


class PartlyWrittenError(WritebackError):
    """Some parts of a book were replaced before another could not be: those parts changed."""


@dataclass(slots=True)
class _Prepared:
    part: Path
    temp: Path
    before: Snapshot


def audio_parts(folder: Path) -> list[Path]:
    """The parts of the audiobook in ``folder``, in listening order, found as an import finds them."""
    units, _ = discover([folder])
    books = [u for u in units if u.format.media_kind == "audiobook"]
    if not books:
        raise WritebackError(f"{folder.name} holds no audio files BookDesk can read.")
    if len(books) > 1:
        raise WritebackError(f"{folder.name} holds {len(books)} audiobooks now; BookDesk will not guess which "
                             "files belong to this one. Nothing was written.")
    return list(books[0].parts)


def write_audio_tags(path_or_folder: Path, meta: WritableMetadata, *,
                     before_replace: Callable[[Path], object] | None = None) -> list[Path]:
    """Write ``meta`` into one audio file or into every part of a book in a folder.

    Returns the files rewritten (none when every part already says all that).
    ``before_replace(part)`` is called for every part to be replaced, after all were checked and
    before any is replaced (the library's backup hook); if it raises, nothing is replaced.
    Raises WritebackError naming the file; unless it is a PartlyWrittenError, every file is
    exactly as it was.
    """
    parts = audio_parts(path_or_folder) if path_or_folder.is_dir() else [path_or_folder]
    values = tag_values(meta, multipart=len(parts) > 1)
    prepared: list[_Prepared] = []
    try:
        for part in parts:
            job = _prepare(part, values)
            if job is not None:
                prepared.append(job)
        if before_replace is not None:
            for job in prepared:
                before_replace(job.part)
        replaced: list[Path] = []
        for job in prepared:
            try:
                finish(job.temp, job.part, job.before)
            except WritebackError as exc:
                if replaced:
                    raise PartlyWrittenError(f"{exc.message} {len(replaced)} of {len(prepared)} parts had been "
                                             "written already; the others were left as they were.") from exc
                raise
            replaced.append(job.part)
        for part in replaced:
            log.info("wrote tags into %s", part.name)
        return replaced
    finally:
        for job in prepared:
            discard(job.temp)


def tag_values(meta: WritableMetadata, *, multipart: bool) -> dict[str, list[str] | None]:
    """Per field: the values to write, [] to clear, None to leave the file's own."""
    authors = [a.name for a in meta.authors] or None
    main = meta.series[0] if meta.series else None
    return {
        "title": [meta.title] if meta.title and not multipart else None,  # a part's title is its own
        "album": [meta.title] if meta.title else None,
        "artist": authors,
        "album_artist": authors,
        "narrator": list(meta.narrators) or None,
        "series": [main.name] if main else None,
        "series_part": ([main.label] if main.label else []) if main else None,  # unknown: no stale position
        "asin": [meta.asin] if meta.asin else None,
        "date": [meta.date] if meta.date else None,
        "language": [meta.language] if meta.language else None,
        "publisher": [meta.publisher] if meta.publisher else None,
        "description": [meta.description] if meta.description else None,
    }


def mismatches(tags: TrackTags, values: dict[str, list[str] | None]) -> list[str]:
    """The fields of ``values`` that ``tags`` (as BookDesk's reader read them) does not say."""
    wrong = []

    def check(name: str, ok: bool) -> None:
        if values.get(name) is not None and not ok:
            wrong.append(name)

    def one(name: str) -> str | None:
        given = values.get(name)
        return clean(given[0]) if given else None

    check("title", tags.title == one("title"))
    check("album", tags.album == one("album"))
    people = values.get("artist") or []
    check("artist", _names(tags.artists) == _names(audio_tags._people(people)))  # the reader drops "Unknown"
    check("album_artist", _names(tags.album_artists) == _names(audio_tags._people(people)))
    narrators = _names(values.get("narrator") or [])
    check("narrator", _names(tags.narrators) == narrators and _names(tags.composers) == narrators)
    check("series", tags.series == one("series"))
    check("series_part", position_label(tags.series_part) == position_label(one("series_part")))
    check("asin", normalise_asin(tags.asin or "") == one("asin"))
    expected_date, read_date = published_from(one("date")), published_from(tags.date)
    # ID3v2.3 keeps a year in TYER and day and month apart: a year alone is still that date.
    check("date", bool(read_date and expected_date and expected_date.startswith(read_date)))
    check("language", language_code(tags.language) == language_code(one("language")))
    check("publisher", tags.publisher == one("publisher"))
    check("description", tags.description == one("description"))
    return wrong


def _prepare(part: Path, values: dict[str, list[str] | None]) -> _Prepared | None:
    """A checked, tagged copy of ``part`` beside it; None when the part already says all that."""
    before = snapshot(part)
    try:
        if not mismatches(read_track(part), values):
            return None
    except BookDeskError as exc:
        raise WritebackError(_sentence(part, exc.message)) from exc
    temp = temp_beside(part)
    try:
        shutil.copyfile(part, temp)
        _tag(temp, values)
        wrong = mismatches(read_track(temp), values)
        if wrong:
            raise WritebackError(_sentence(part, f"the retagged file did not read back as written ({', '.join(wrong)})"))
        return _Prepared(part, temp, before)
    except BookDeskError as exc:
        discard(temp)
        raise WritebackError(_sentence(part, exc.message)) from exc
    except OSError as exc:
        discard(temp)
        raise WritebackError(describe(exc, part)) from exc
    except Exception as exc:  # mutagen fails in many ways on damaged files; this file fails alone
        discard(temp)
        raise WritebackError(_sentence(part, f"its tags could not be written ({type(exc).__name__}: {exc})")) \
            from exc


def _tag(path: Path, values: dict[str, list[str] | None]) -> None:
    audio = mutagen.File(path)
    kind = type(audio).__name__
    if audio is None or (kind not in ("MP4", "MP3") and kind not in _VORBIS):
        raise WritebackError(f"BookDesk does not write tags into {kind if audio else 'this kind of'} files")
    if audio.tags is None:
        audio.add_tags()
    if kind == "MP4":
        audio_formats.apply(audio_formats.Mp4Tags(audio.tags), audio_formats.MP4_KEYS, values)
        audio.save()
    elif kind == "MP3":
        # Saved in the ID3 version the file had: v2.3 players may not read v2.4. Several people in
        # one v2.3 frame are joined with "; ", which the reader splits again.
        version = 3 if audio.tags.version[:2] == (2, 3) else 4
        audio_formats.apply(audio_formats.Id3Tags(audio.tags), audio_formats.ID3_KEYS, values)
        audio.save(v2_version=version, v23_sep="; ")
    else:
        audio_formats.apply(audio_formats.VorbisTags(audio.tags), audio_formats.VORBIS_KEYS, values)
        audio.save()


def _names(values: list[str]) -> list[str]:
    return list(dict.fromkeys(n for v in values for n in split_people(v)))


def _sentence(part: Path, message: str) -> str:
    if message.startswith(part.name):
        return message
    return f"{part.name}: {message.rstrip('.')}; the file was left as it was."
