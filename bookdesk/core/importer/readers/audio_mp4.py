"""M4B / M4A atoms into TrackTags.

iTunes atoms (©nam, ©alb, ©ART, aART, ©wrt, ©mvn/©mvi, covr, ...) plus the freeform
``----:mean:NAME`` atoms that audiobook tools write (ASIN, NARRATOR, SERIES, ...). The
``mean`` part varies between tools (com.apple.iTunes, others), so freeform atoms are
matched by NAME alone.
"""

from __future__ import annotations

from typing import Any

from bookdesk.core.importer.metadata import Chapter
from bookdesk.core.importer.readers.audio_tags import TrackTags, number, texts
from bookdesk.core.importer.readers.tag_values import clean


def fill(tags: TrackTags, audio: Any) -> None:
    atoms = audio.tags or {}
    freeform = _freeform(atoms)

    def every(*keys: str) -> list[str]:
        """The values of the first key present; upper-case keys may also be freeform atoms."""
        for key in keys:
            found = texts(atoms.get(key, [])) or (freeform.get(key, []) if key.isupper() else [])
            if found:
                return found
        return []

    def first(*keys: str) -> str | None:
        return next(iter(every(*keys)), None)

    tags.title = first("©nam")
    tags.album = first("©alb")
    tags.subtitle = first("SUBTITLE", "©st3")
    tags.artists = every("©ART")
    tags.album_artists = every("aART")
    tags.composers = every("©wrt")
    tags.narrators = every("©nrt", "NARRATOR", "NARRATEDBY")
    tags.series = first("©mvn", "SERIES", "MVNM")
    movement = [str(v) for v in atoms.get("©mvi", []) if isinstance(v, int)]
    tags.series_part = next(iter(movement), None) or first("SERIES-PART", "SERIESPART", "SERIES_PART", "MVIN")
    tags.asin = first("ASIN", "AUDIBLE_ASIN", "CDEK")  # CDEK: Audible's own atom
    tags.isbn = first("ISBN")
    tags.date = first("©day", "RELEASEDATE", "YEAR")
    tags.genres = every("©gen", "GENRE")
    tags.description = first("ldes", "desc", "DESCRIPTION", "©cmt")
    tags.language = first("LANGUAGE")
    tags.publisher = first("©pub", "PUBLISHER", "LABEL")
    tags.track = number(next(iter(atoms.get("trkn", [])), None))
    tags.disc = number(next(iter(atoms.get("disk", [])), None))
    for picture in atoms.get("covr", []):
        tags.offer_cover(picture)
    chapters = getattr(audio, "chapters", None) or []
    tags.chapters = [Chapter(title=clean(c.title) or f"Chapter {i + 1}", start_seconds=float(c.start))
                     for i, c in enumerate(chapters)]


def _freeform(atoms: Any) -> dict[str, list[str]]:
    """``----:com.apple.iTunes:ASIN`` and friends, by upper-cased name."""
    out: dict[str, list[str]] = {}
    for key in list(atoms.keys()):
        if key.startswith("----:") and key.count(":") >= 2:
            name = key.split(":", 2)[2].upper()
            out.setdefault(name, []).extend(texts([bytes(v) for v in atoms[key]]))
    return out
