"""``bookdesk gaps``, ``bookdesk wanted`` and ``bookdesk authors``: what is missing, what is wanted, by whom.

All three only read, so they share the library with a running BookDesk and never create one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from bookdesk.cli.output import emit_json, say
from bookdesk.core.library_service import LibraryService
from bookdesk.core.series.gaps import GapPolicy, KindGaps, MissingBook, SeriesGaps
from bookdesk.core.series.service import SeriesService
from bookdesk.core.series.summaries import AuthorOverview, KindFigures, WantedBook
from bookdesk.core.series.wording import join_labels

T = TypeVar("T")


@contextmanager
def _series_service(library: Path, policy: GapPolicy | None = None) -> Iterator[SeriesService]:
    library_service = LibraryService.open(library, exclusive=False, create=False)
    series = SeriesService(library_service.catalog, policy, follow_changes=False)  # one answer, then gone
    try:
        yield series
    finally:
        series.close()
        library_service.close()


def _read(library: Path, ask: Callable[[SeriesService], T], policy: GapPolicy | None = None) -> T:
    with _series_service(library, policy) as service:
        return ask(service)


# ----- gaps ----------------------------------------------------------------------------------


def run_gaps(library: Path, series_name: str | None, as_json: bool, language: str | None = None,
             novellas: bool = False) -> int:
    policy = GapPolicy(language=language, novellas=novellas)

    def ask(service: SeriesService) -> tuple[list[SeriesGaps], dict[int, str]]:
        found = service.gaps(series_name)
        return found, service.series_authors([g.series_id for g in found])

    found, authors = _read(library, ask, policy)
    if as_json:
        emit_json({"series": [gaps_json(g, authors.get(g.series_id, "")) for g in found]})
        return 0
    shown = found if series_name else [g for g in found if g.missing or g.flags]
    for gaps in shown:
        for line in gaps_text(gaps, detail=series_name is not None, authors=authors.get(gaps.series_id, "")):
            say(line)
    missing = sum(len(g.overall.missing_positions) for g in found)
    say(f"{len(found)} series, {sum(1 for g in found if g.missing)} with gaps, {missing} book(s) missing")
    return 0


def gaps_json(gaps: SeriesGaps, authors: str = "") -> dict:
    """``authors``: what most of the series' books show, which tells two series of one name apart."""
    return {
        "id": gaps.series_id,
        "name": gaps.name,
        "authors": authors,
        "owned": list(gaps.overall.owned),
        "missing": gaps.overall.missing_labels,
        "total": gaps.total,
        "complete": gaps.complete,
        "sources": list(gaps.sources),
        "status": gaps.overall.status,
        "completion": gaps.overall.completion,
        "monitored": gaps.monitored,
        "ignored": gaps.ignored,
        "upcoming": [_book_json(b) for b in gaps.upcoming],
        "ignored_positions": list(gaps.ignored_positions),
        "missing_books": [_book_json(b) for b in gaps.overall.missing],
        "media": {kind.media_kind: _kind_json(kind) for kind in (gaps.ebook, gaps.audiobook)},
        "confidence": gaps.confidence,
        "flags": [{"code": f.code, "message": f.message} for f in gaps.flags],
    }


def _kind_json(kind: KindGaps) -> dict:
    return {"owned": list(kind.owned), "missing": kind.missing_labels, "completion": kind.completion,
            "status": kind.status}


def _book_json(book: MissingBook) -> dict:
    return {"label": book.label, "title": book.title, "authors": list(book.authors),
            "release_date": book.release_date.isoformat() if book.release_date else None,
            "cover_url": book.cover_url, "sources": list(book.sources), "wanted_work_id": book.wanted_work_id}


def gaps_text(gaps: SeriesGaps, detail: bool = False, authors: str = "") -> list[str]:
    owned = ", ".join(gaps.overall.owned) or "nothing"
    missing = join_labels(gaps.overall.missing_labels) or "nothing"
    total = f" of {gaps.total}" if gaps.total is not None else ""
    by = f" ({authors})" if authors else ""
    lines = [f"{gaps.name}{by}: {gaps.overall.status}, {gaps.overall.completion:g}%{total}; "
             f"you have {owned}; missing {missing}"]
    if detail:
        for kind in (gaps.ebook, gaps.audiobook):
            lines.append(f"  {kind.media_kind}s: {kind.status}, {kind.completion:g}%; "
                         f"missing {join_labels(kind.missing_labels) or 'nothing'}")
        lines += [f"  #{b.label} {b.title or '(title unknown)'}" for b in gaps.overall.missing]
        lines += [f"  #{b.label} {b.title or '(title unknown)'}, out {b.release_date or 'later'}" for b in gaps.upcoming]
        lines.append(f"  {gaps.confidence}")
    lines += [f"  note: {flag.message}" for flag in gaps.flags]
    return lines


# ----- wanted ----------------------------------------------------------------------------------


def run_wanted(library: Path, as_json: bool) -> int:
    books = _read(library, lambda service: service.wanted())
    if as_json:
        emit_json({"wanted": [wanted_json(b) for b in books]})
        return 0
    for book in books:
        series = "; ".join(f"{name} #{label}" if label else name for name, label in book.series)
        kinds = f" ({', '.join(book.media_kinds)})" if book.media_kinds else ""
        due = f", out {book.release_date.isoformat()}" if book.release_date else ""
        say(f"{book.id:>6}  {book.title} — {book.authors or 'Unknown'}{kinds}" + (f"  [{series}]" if series else "")
            + due)
    say(f"{len(books)} wanted book(s)")
    return 0


def wanted_json(book: WantedBook) -> dict:
    return {"id": book.id, "title": book.title, "authors": book.authors,
            "series": [{"name": name, "position": label} for name, label in book.series],
            "media_kinds": list(book.media_kinds), "status": book.status,
            "release_date": book.release_date.isoformat() if book.release_date else None,
            "cover_url": book.cover_url}


# ----- authors ---------------------------------------------------------------------------------


def run_authors(library: Path, as_json: bool) -> int:
    people = _read(library, lambda service: service.authors())
    if as_json:
        emit_json({"authors": [author_json(a) for a in people]})
        return 0
    for person in people:
        aliases = f" (also {', '.join(person.aliases)})" if person.aliases else ""
        mark = " [monitored]" if person.monitored else ""
        say(f"{person.id:>6}  {person.name}{aliases}{mark}: {_figures(person.overall)}; "
            f"ebooks {_figures(person.ebook)}; audiobooks {_figures(person.audiobook)}")
    say(f"{len(people)} author(s)")
    return 0


def _figures(figures: KindFigures) -> str:
    return f"{figures.owned} owned, {figures.missing} missing"


def author_json(person: AuthorOverview) -> dict:
    kinds = {"any": person.overall, "ebook": person.ebook, "audiobook": person.audiobook}
    return {"id": person.id, "name": person.name, "sort_name": person.sort_name, "aliases": list(person.aliases),
            "monitored": person.monitored, "series": person.series, "wanted": person.wanted,
            "owned": {k: f.owned for k, f in kinds.items()}, "missing": {k: f.missing for k, f in kinds.items()},
            "completion": {k: f.completion for k, f in kinds.items()},
            "status": {k: f.status for k, f in kinds.items()}}
