"""The book inside a completed torrent, and whether it is the book that was wanted.

A torrent is one file or a folder. In a folder, the .nfo, the cover, the playlist and the
"sample" are not the book; an audiobook in mp3 parts is one book of many files; an ebook
often comes in several formats, of which the one asked for (else the preferred) is taken.
Then the files are checked: their content is the format they claim (an HTML page named
.epub is not an EPUB), their size is one such a book has, and an audiobook lasts about as
long as the wanted one when its length is known.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bookdesk.core.acquisition.file_check import FileCheckError, check_download, claimed_format
from bookdesk.core.acquisition.ranking import SIZES, QualityProfile, SizeRange
from bookdesk.core.acquisition.release_names import AUDIOBOOK, EBOOK
from bookdesk.core.candidate_scoring.titles import title_similarity
from bookdesk.core.importer.formats import BookFormat, format_of
from bookdesk.core.importer.sniff import same_family
from bookdesk.errors import BookDeskError

log = logging.getLogger(__name__)

MAX_FILES = 5000  # a folder with more is not a book
MAX_DEPTH = 6
DURATION_TOLERANCE = 0.10  # an audiobook within 10% of the wanted length (another edition's intro, credits)
DURATION_SLACK = 600.0  # ...or within ten minutes, for short books
_SAMPLE = "sample"


class ReleaseCheckError(BookDeskError):
    """The completed release is not the wanted book; the message says why."""


@dataclass(frozen=True, slots=True)
class FoundBook:
    files: tuple[Path, ...]  # one ebook file, or an audiobook's parts in order
    format: str
    media_kind: str
    size: int
    duration_seconds: float | None = None


def book_files(content: Path) -> list[Path]:
    """Every file under ``content`` (a file or a folder) that is a book format, samples and hidden files left out."""
    if content.is_file():
        return [content] if format_of(content) is not None else []
    found: list[Path] = []
    base_depth = len(content.parts)
    for path in sorted(content.rglob("*")):
        if len(found) >= MAX_FILES:
            raise ReleaseCheckError(f"The release holds more than {MAX_FILES} files; it is not one book.")
        relative = path.parts[base_depth:]
        if len(relative) > MAX_DEPTH or any(p.startswith(".") for p in relative):
            continue
        if any(_SAMPLE in p.lower() for p in relative) or path.is_symlink() or not path.is_file():
            continue  # a link could point anywhere on this machine: never follow one out of a download
        if format_of(path) is not None:
            found.append(path)
    return found


def describe_content(content: Path, limit: int = 6) -> str:
    """What a release holds, for a message: "Dune.nfo, cover.jpg"."""
    if content.is_file():
        return content.name
    names = sorted(p.name for p in content.rglob("*") if p.is_file())
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return (", ".join(names[:limit]) + more) if names else "nothing"


def choose_book(files: Sequence[Path], *, media_kind: str | None, expected_format: str | None,
                title: str = "", profile: QualityProfile | None = None) -> tuple[list[Path], BookFormat]:
    """The files that make the book: of the wanted media kind, in the expected (else preferred) format;
    for ebooks the one whose name is most like ``title`` when there are several."""
    profile = profile or QualityProfile()
    described = ", ".join(sorted({f.name for f in files})) or "no book files at all"
    kinds = [media_kind] if media_kind else [EBOOK, AUDIOBOOK]
    by_format: dict[str, list[Path]] = {}
    for path in files:
        fmt = format_of(path)
        if fmt is not None and fmt.media_kind in kinds:
            by_format.setdefault(fmt.name, []).append(path)
    if not by_format:
        raise ReleaseCheckError(f"The release holds no {media_kind or 'book'} ({described}).")
    claimed = claimed_format(expected_format, None)
    if claimed is not None:
        matching = [name for name in by_format if same_family(format_of(by_format[name][0]), claimed)]
        if not matching:
            raise ReleaseCheckError(f"The release promised {claimed.name.upper()} but holds "
                                    f"{', '.join(sorted(n.upper() for n in by_format))}.")
        chosen = matching[0]
    else:
        order = [f for kind in kinds for f in profile.formats(kind)]
        chosen = min(by_format, key=lambda n: (order.index(n) if n in order else len(order), n))
    picked = by_format[chosen]
    book_format = format_of(picked[0])
    assert book_format is not None
    if book_format.media_kind == AUDIOBOOK:
        return picked, book_format  # parts of one audiobook, in name order
    if len(picked) > 1:
        scored = sorted(((title_similarity(title, p.stem) if title else 0.0, p) for p in picked),
                        key=lambda sp: (-sp[0], sp[1].name))
        if not title or scored[0][0] < 0.6 or (len(scored) > 1 and scored[1][0] >= scored[0][0] - 0.05):
            raise ReleaseCheckError(f"The release holds {len(picked)} {chosen.upper()} books; BookDesk cannot "
                                    "tell which one is the wanted book.")
        picked = [scored[0][1]]
    return picked, book_format


def audio_duration(files: Sequence[Path]) -> float | None:
    """The length of an audiobook's files together, or None when any of them cannot be read."""
    import mutagen

    total = 0.0
    for path in files:
        try:
            audio = mutagen.File(path)
        except Exception as exc:  # noqa: BLE001 - mutagen raises many kinds for a broken file
            log.info("no duration for %s: %s", path.name, exc)
            return None
        length = getattr(getattr(audio, "info", None), "length", None)
        if not length:
            return None
        total += float(length)
    return total


def verify_book(files: Sequence[Path], book_format: BookFormat, *, expected_duration: float | None = None,
                sizes: dict[str, SizeRange] | None = None) -> FoundBook:
    """Check the chosen files; raises ReleaseCheckError naming what is wrong."""
    limits = (sizes or SIZES)[book_format.media_kind]
    for path in files:
        try:
            check_download(path, expected_size=None, claimed=book_format, strict=True)
        except FileCheckError as exc:
            raise ReleaseCheckError(f"{path.name}: {exc.message}") from None
    size = sum(p.stat().st_size for p in files)
    if size < limits.suspect_below or size > limits.suspect_above:
        raise ReleaseCheckError(f"The {book_format.media_kind} is {size:,} bytes, not a size such a book has.")
    duration = audio_duration(files) if book_format.media_kind == AUDIOBOOK else None
    if expected_duration and duration is not None:
        allowed = max(expected_duration * DURATION_TOLERANCE, DURATION_SLACK)
        if abs(duration - expected_duration) > allowed:
            raise ReleaseCheckError(f"The audiobook lasts {_hours(duration)}, the wanted one "
                                    f"{_hours(expected_duration)}: another edition, or incomplete.")
    return FoundBook(tuple(files), book_format.name, book_format.media_kind, size, duration)


def _hours(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"
