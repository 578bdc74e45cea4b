"""``bookdesk edit WORK_ID... [--title T] [--authors "A & B"] [--series NAME [--position P]] [--tags a,b]
[--add-tags a] [--remove-tags a] [--language L] [--read-state STATE] [--rating N] [--lock FIELD]
[--unlock FIELD] [--json]``: edit books by hand, as the window's dialogs do (core/editing).

One run is one edit job with one Ref, in Activity as the window's edits are: ``bookdesk undo REF``
reverts all of it. Each field changed is locked against identification unless ``--unlock`` frees it.
With "write corrected metadata into the book files" on, the changed books' files are written after it,
as the window does (a write-back job of its own).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, job_failed, say
from bookdesk.core.editing.service import BookEdits, EditOutcome, EditService
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.core.settings import load_settings
from bookdesk.core.writeback.job import write_back_job
from bookdesk.data.work_fields import READ_STATES
from bookdesk.errors import UsageError
from bookdesk.vocabulary.people import split_people
from bookdesk.vocabulary.positions import read_position


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("work_ids", type=int, nargs="+", metavar="WORK_ID", help="the books' ids (bookdesk list)")
    parser.add_argument("--title", metavar="T")
    parser.add_argument("--authors", metavar='"A & B"', help="the authors, separated by & or ;")
    parser.add_argument("--series", metavar="NAME", help='the series ("" takes the books out of theirs)')
    parser.add_argument("--position", metavar="P", help="the position in the series; with several books, "
                        "the first one's, the others numbered on from it in the order given")
    parser.add_argument("--tags", metavar="a,b", help='the tags, replacing the books\' own ("" removes them all)')
    parser.add_argument("--add-tags", action="append", default=[], metavar="a,b")
    parser.add_argument("--remove-tags", action="append", default=[], metavar="a,b")
    parser.add_argument("--language", metavar="L", help='a language code such as "en" ("" clears it)')
    parser.add_argument("--read-state", choices=READ_STATES)
    parser.add_argument("--rating", type=int, metavar="N", help="0 to 10")
    parser.add_argument("--lock", action="append", default=[], metavar="FIELD",
                        help="keep a field as it is when books are identified")
    parser.add_argument("--unlock", action="append", default=[], metavar="FIELD",
                        help="let identification change a field again (also one this edit sets)")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    edits = book_edits(args)
    service = LibraryService.open(library, create=False)
    try:
        editing = EditService(service.catalog)
        editing.check(args.work_ids, edits)  # bad usage, or a book not there, said before the job
        runner = JobRunner(service.catalog)
        count = len(set(args.work_ids))
        ctx = runner.create("edit", f"Edit {count} book{'s' if count != 1 else ''}")
        result = asyncio.run(runner.run(ctx, lambda c: editing.run(c, args.work_ids, edits)))
        changed = sorted({c.work_id for c in result.value.changes}) if result.state == "succeeded" else []
        if changed and load_settings().write_back_to_files:  # as the window and bookdesk identify do
            asyncio.run(write_back_job(runner, service.catalog, changed))
    finally:
        service.close()
    if result.state != "succeeded":
        return job_failed("edit", result)
    show(result.value, args.json)
    return 0


def book_edits(args: argparse.Namespace) -> BookEdits:
    """What the options ask, as the one service takes it."""
    position, number_from = args.position, None
    if position is not None and len(set(args.work_ids)) > 1:
        start = read_position(position).start
        if start is None:
            raise UsageError(f"Several books cannot all be at {position!r}: give a number to count from.")
        position, number_from = None, start
    return BookEdits(
        fields={"title": args.title} if args.title is not None else {},
        authors=tuple(split_people(args.authors)) if args.authors is not None else None,
        series=args.series, position=position, number_from=number_from,
        tags=_listed([args.tags]) if args.tags is not None else None,
        add_tags=_listed(args.add_tags), remove_tags=_listed(args.remove_tags),
        language=args.language, read_state=args.read_state, rating=args.rating,
        lock=tuple(_listed(args.lock)), unlock=tuple(_listed(args.unlock)))


def _listed(values: list[str]) -> frozenset[str]:
    """ "a,b" given once or more, as a set."""
    return frozenset(item.strip() for value in values for item in value.split(",") if item.strip())


def show(outcome: EditOutcome, as_json: bool) -> None:
    if as_json:
        emit_json({"correlation_id": outcome.correlation_id, "changes": [
            {"work_id": c.work_id, "field": c.field, "old": c.old_value, "new": c.new_value}
            for c in outcome.changes]})
        return
    for c in outcome.changes:
        say(f"  {c.work_id}  {c.field}: {c.old_value!r} -> {c.new_value!r}")
    if outcome.changes:
        say(f"{outcome.summary()}; bookdesk undo {outcome.correlation_id} reverts it")
    else:
        say(outcome.summary())
