"""``bookdesk abs send WORK_ID... [--server NAME] [--to LIBRARY] [--json]``: books' files to a library of
an Audiobookshelf server (``core/audiobookshelf/send.py``), as a job with a Ref."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bookdesk.cli.output import emit_json, job_failed, progress, progress_listener, say
from bookdesk.core.audiobookshelf.config import find
from bookdesk.core.settings import load_settings
from bookdesk.errors import UsageError


def send(library: Path, work_ids: list[int], server: str | None, to: str | None, as_json: bool) -> int:
    from bookdesk.core.audiobookshelf.send import AbsSend
    from bookdesk.core.jobs import JobRunner
    from bookdesk.core.library_service import LibraryService
    from bookdesk.platform.keyring_store import system_secret_store

    chosen = find(load_settings().audiobookshelf_servers, server)
    if not chosen:
        raise UsageError("No Audiobookshelf server yet: bookdesk abs add NAME URL")
    if len(chosen) > 1:
        raise UsageError(f"Say which server to send to (--server NAME): {', '.join(c.name for c in chosen)}.")
    service = LibraryService.open(library, create=False)
    try:
        runner = JobRunner(service.catalog, listeners=[progress_listener()])
        ctx = runner.create("abs-send", f"Send to {chosen[0].name}")
        sender = AbsSend(service.catalog, chosen[0], system_secret_store(), work_ids, library=to)
        result = asyncio.run(runner.run(ctx, sender.run))
    finally:
        service.close()
    if result.error is not None:
        raise result.error  # said as every command says why it stopped: {"error": ...} with --json, and the Ref
    if result.state != "succeeded":
        return job_failed("abs send", result)
    report = result.value
    for failure in report.failed:
        progress(f"bookdesk abs send: book {failure['work_id']} not sent: {failure['error']} (Ref {failure['ref']})")
    if as_json:
        emit_json({k: v for k, v in report.to_json().items() if k in ("correlation_id", "sent", "failed")})
    else:
        say(f"{report.summary()} (Ref {report.correlation_id})")
    return 1 if report.failed else 0
