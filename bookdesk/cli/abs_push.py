"""``bookdesk abs push [NAME] [--dry-run] [--json]``: BookDesk's corrections to the Audiobookshelf items their
books are linked to (core/audiobookshelf/push.py): ``{"correlation_id", "dry_run", "pushed": [{"work_id",
"item_id", "fields"}], "changes": [{"work_id", "item_id", "field", "from", "to"}], "conflicts": [...],
"servers", "failed"}``. ``bookdesk undo REF`` of a push puts the server's values from before it back, and
what the same Ref set here ("Sync with Audiobookshelf" pulls under it too): ``undo``, which undo_command
hands a push's Ref to."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, job_failed, say
from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.settings import load_settings


def add_push_arguments(actions: argparse._SubParsersAction) -> None:
    push = actions.add_parser("push", help="send the corrections made here to the servers' items")
    push.add_argument("name", nargs="?", metavar="NAME", help="one server (default: every one)")
    push.add_argument("--dry-run", action="store_true", help="say what would be sent, and send nothing")
    push.add_argument("--library", type=Path, default=argparse.SUPPRESS, help="library folder")
    add_json_option(push)


def push(library: Path, name: str | None, dry_run: bool, as_json: bool) -> int:
    from bookdesk.cli.abs_job import chosen_servers, run_abs_job
    from bookdesk.core.audiobookshelf.push import AbsPush
    from bookdesk.platform.keyring_store import system_secret_store

    chosen = chosen_servers(name)
    report = run_abs_job(library, "abs-push", f"Push to {', '.join(c.name for c in chosen)}",
                         lambda catalog: AbsPush(catalog, chosen, system_secret_store(), dry_run=dry_run).run)
    if report is None:
        return 1
    if as_json:
        emit_json(report.to_json())
    else:
        say(f"{report.summary()[0].upper()}{report.summary()[1:]} (Ref {report.correlation_id})")
    return 1 if report.failed else 0


def undo(service, correlation_id: str, as_json: bool) -> int:  # noqa: ANN001 - an open LibraryService
    """``bookdesk undo`` of a push's Ref: the servers' values back, and what the same Ref set here."""
    from bookdesk.core.audiobookshelf.push_undo import undo_ref
    from bookdesk.core.jobs import JobRunner
    from bookdesk.platform.keyring_store import system_secret_store

    configured = servers(load_settings().audiobookshelf_servers, skip_unusable=True)
    runner = JobRunner(service.catalog)
    result = asyncio.run(runner.run(runner.create("undo", f"Undo of {correlation_id}"), lambda ctx: undo_ref(
        ctx, service, configured, system_secret_store(), correlation_id)))
    if result.state != "succeeded":
        if result.error is not None:
            raise result.error
        return job_failed("undo", result)
    done = result.value
    if as_json:
        emit_json({"correlation_id": correlation_id, "fields_set_back": done.pushed.fields,
                   "changes_undone": done.changes_undone, "problems": done.problems})
    else:
        say(f"Undid {correlation_id}: {done.summary()}")
        for problem in done.problems:
            say(f"  problem: {problem}")
    return 1 if done.problems else 0
