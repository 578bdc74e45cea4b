"""``bookdesk abs send WORK_ID... [--server NAME] [--to LIBRARY] [--json]``: books' files to a library of
an Audiobookshelf server (``core/audiobookshelf/send.py``), as a job with a Ref."""

from __future__ import annotations

from pathlib import Path

from bookdesk.cli.output import emit_json, progress, say
from bookdesk.errors import UsageError


def send(library: Path, work_ids: list[int], server: str | None, to: str | None, as_json: bool) -> int:
    from bookdesk.cli.abs_job import chosen_servers, run_abs_job
    from bookdesk.core.audiobookshelf.send import AbsSend
    from bookdesk.platform.keyring_store import system_secret_store

    chosen = chosen_servers(server)
    if len(chosen) > 1:
        raise UsageError(f"Say which server to send to (--server NAME): {', '.join(c.name for c in chosen)}.")
    report = run_abs_job(library, "abs-send", f"Send to {chosen[0].name}", lambda catalog: AbsSend(
        catalog, chosen[0], system_secret_store(), work_ids, library=to).run)
    if report is None:
        return 1
    for failure in report.failed:
        progress(f"bookdesk abs send: book {failure['work_id']} not sent: {failure['error']} (Ref {failure['ref']})")
    if as_json:
        emit_json({k: v for k, v in report.to_json().items() if k in ("correlation_id", "sent", "failed")})
    else:
        say(f"{report.summary()} (Ref {report.correlation_id})")
    return 1 if report.failed else 0
