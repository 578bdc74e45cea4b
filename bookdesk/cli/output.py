"""What commands print: JSON on stdout with ``--json`` and nothing else there; people's text otherwise."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=None, default=str)
    sys.stdout.write("\n")
    sys.stdout.flush()


def say(text: str) -> None:
    print(text)


def progress(text: str) -> None:
    """Progress goes to stderr, so stdout stays clean for --json."""
    print(text, file=sys.stderr, flush=True)


def progress_listener(every_seconds: float = 1.0):  # noqa: ANN201 - a JobListener
    """A job listener that prints "42%  120 of 300 books" to stderr, at most once a second."""
    import time

    last = [0.0]

    def show(event) -> None:  # noqa: ANN001 - JobEvent
        now = time.monotonic()
        if event.state == "running" and event.message and (now - last[0] > every_seconds or event.progress >= 1):
            last[0] = now
            progress(f"{event.progress:4.0%}  {event.message}")

    return show


def job_failed(command: str, result) -> int:  # noqa: ANN001 - JobResult
    """Say on stderr why a job did not succeed, with its reference; the exit code for it."""
    progress(f"bookdesk {command}: {result.error.message if result.error else 'cancelled'} "
             f"(Ref {result.correlation_id})")
    return 1
