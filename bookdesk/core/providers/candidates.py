"""The one way a provider's answer becomes a Candidate.

Providers write series into titles and subtitles: Open Library's "The Final Empire (Mistborn,
Book 1)", Google's subtitle "Book One of The Malazan Book of the Fallen". Those are a series and a
position, not part of the book's name, so they are read here (through the shared vocabulary) for
every provider alike: the marker leaves the title or subtitle and joins the candidate's series,
after whatever series the provider named on its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from bookdesk.core.providers.base import Candidate
from bookdesk.core.providers.book_kinds import looks_like_companion, looks_like_compilation
from bookdesk.core.providers.fields import MAX_SERIES, series_ref
from bookdesk.data.catalog_rows import SeriesRef
from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.titles import series_in_subtitle, series_in_title


def build_candidate(*, provider: str, provider_id: str, title: str, subtitle: str | None = None,
                    series: Iterable[SeriesRef] = (), compilation: bool = False, companion: bool = False,
                    **fields: object) -> Candidate:
    """A Candidate with series taken out of its title and subtitle. ``compilation`` and ``companion``
    are the provider's own flags; the words of the title as the provider wrote it count too."""
    written = series_in_title(title)
    refs = list(series)
    for name, label in written.series:
        _add(refs, series_ref(name, label))
    kept_subtitle = subtitle
    if subtitle:
        in_subtitle = series_in_subtitle(subtitle)
        if in_subtitle is not None:
            name, label = in_subtitle
            _add(refs, series_ref(name, label))
            kept_subtitle = None
    return Candidate(
        provider=provider,
        provider_id=provider_id,
        title=written.title or title,
        subtitle=kept_subtitle,
        series=refs[:MAX_SERIES],
        is_compilation=compilation or looks_like_compilation(title, subtitle),
        is_companion=companion or looks_like_companion(title, subtitle),
        **fields,  # type: ignore[arg-type]
    )


def _add(refs: list[SeriesRef], ref: SeriesRef | None) -> None:
    """Add ``ref`` unless the provider already named that series; a position it lacked is filled in.
    "Mistborn" in a title and the provider's "The Mistborn Saga" are one series, not two."""
    if ref is None:
        return
    for i, known in enumerate(refs):
        ours, theirs = fold(known.name), fold(ref.name)
        if ours == theirs or theirs in ours or ours in theirs:
            if not known.label and ref.label:
                refs[i] = SeriesRef(known.name, ref.label, ref.sort_key)
            return
    refs.append(ref)
