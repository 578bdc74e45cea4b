"""``bookdesk gaps [--series NAME] [--language CODE] [--novellas] [--library DIR] [--json]``: which books
of each series are missing.

It only reads, so it shares the library with a running BookDesk and never creates one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, say
from bookdesk.core.collector_pause import collector_paused
from bookdesk.core.series.gap_results import SeriesGaps
from bookdesk.core.series.gaps_json import document_text, gaps_json
from bookdesk.core.series.policy import GapPolicy
from bookdesk.core.series.stored_answers import answer_key
from bookdesk.core.series.wording import join_labels
from bookdesk.core.settings import PROVIDERS
from bookdesk.data.catalog_reader import reading
from bookdesk.data.gap_answers import current_json
from bookdesk.redaction import knows_secrets

__all__ = ["add_arguments", "gaps_json", "gaps_text", "main", "run"]


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
    if as_json and series_name is None and _print_kept(library, policy):
        return 0
    # SQLAlchemy and the rules: imported only when the answers must be worked out.
    from bookdesk.cli.series_reading import read_series
    from bookdesk.core.series.service import SeriesService

    def ask(service: SeriesService) -> tuple[list[SeriesGaps], dict[int, str]]:
        found = service.gaps(series_name)
        return found, service.series_authors([g.series_id for g in found])

    found, authors = read_series(library, ask, policy)
    if as_json:
        if series_name is None and _print_kept(library, policy):  # kept just now: each object is made already
            return 0
        emit_json({"series": [gaps_json(g, authors.get(g.series_id, "")) for g in found]})
        return 0
    shown = found if series_name else [g for g in found if g.missing or g.flags]
    for gaps in shown:
        for line in gaps_text(gaps, detail=series_name is not None, authors=authors.get(gaps.series_id, "")):
            say(line)
    missing = sum(len(g.overall.missing_positions) for g in found)
    say(f"{len(found)} series, {sum(1 for g in found if g.missing)} with gaps, {missing} book(s) missing")
    return 0


def _print_kept(library: Path, policy: GapPolicy) -> bool:
    """Print every series' object as the catalog keeps it, when those kept are current (data/gap_answers.py),
    through plain sqlite3 as ``bookdesk list`` reads; False when they must be worked out. A known secret
    goes the long way, where ``emit_json`` masks it in each value."""
    if knows_secrets():
        return False
    with reading(library) as connection:
        objects = current_json(connection, answer_key(policy, policy.day(), PROVIDERS))
    if objects is None:
        return False
    sys.stdout.write(document_text(objects))
    sys.stdout.write("\n")
    sys.stdout.flush()
    return True


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
