"""``bookdesk gaps [--series NAME] [--language CODE] [--novellas] [--library DIR] [--json]``: which books
of each series are missing.

It only reads, so it shares the library with a running BookDesk and never creates one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, say
from bookdesk.cli.series_reading import read_series
from bookdesk.core.collector_pause import collector_paused
from bookdesk.core.series.gaps import GapPolicy, KindGaps, MissingBook, SeriesGaps
from bookdesk.core.series.service import SeriesService
from bookdesk.core.series.wording import join_labels


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--series", metavar="NAME", help="only this series (case and accents aside)")
    parser.add_argument("--language", metavar="CODE",
                        help="leave out listed books in other languages than this one (e.g. en)")
    parser.add_argument("--novellas", action="store_true", help="count listed novellas (2.5) as missing too")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    return run(library, args.series, args.json, args.language, args.novellas)


def run(library: Path, series_name: str | None, as_json: bool, language: str | None = None,
             novellas: bool = False) -> int:
    # Every series of a big library makes a million small objects that live until the command ends: the
    # cyclic collector going over them again and again took more time than the answer (100,000 books).
    with collector_paused():
        return _answer(library, series_name, as_json, GapPolicy(language=language, novellas=novellas))


def _answer(library: Path, series_name: str | None, as_json: bool, policy: GapPolicy) -> int:
    def ask(service: SeriesService) -> tuple[list[SeriesGaps], dict[int, str]]:
        found = service.gaps(series_name)
        return found, service.series_authors([g.series_id for g in found])

    found, authors = read_series(library, ask, policy)
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
