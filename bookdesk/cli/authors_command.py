"""``bookdesk authors [--library DIR] [--json]``: the authors, with what is owned and missing of each."""

from __future__ import annotations

import argparse
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, say
from bookdesk.cli.series_reading import read_series
from bookdesk.core.series.summaries import AuthorOverview, KindFigures

add_arguments = add_json_option  # --json is its one option


def main(args: argparse.Namespace, library: Path) -> int:
    people = read_series(library, lambda service: service.authors())
    if args.json:
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
