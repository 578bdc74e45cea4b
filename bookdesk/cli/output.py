"""What commands print: JSON on stdout with ``--json`` and nothing else there; people's text otherwise.

Everything printed passes ``mask_known`` last: a secret this run was given (a token, a password taken
out of an address) is never printed, whatever a server or a message echoed of it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bookdesk.redaction import knows_secrets, mask_known


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """``--json``, which every command that prints something offers."""
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")


def emit_json(document: Any) -> None:
    # Masked before serialising: a secret holding '"' or '\\' is escaped in the JSON text, where its
    # raw form is no longer found; and once more after, for what ``default=str`` made of objects. With no
    # secret known there is nothing to mask, and the copy of the document would cost most of printing a big
    # one (``gaps --json`` of 100,000 books: 10 MB).
    masked = _masked(document) if knows_secrets() else document
    text = json.dumps(masked, ensure_ascii=False, indent=None, default=lambda o: mask_known(str(o)))
    sys.stdout.write(mask_known(text))
    sys.stdout.write("\n")
    sys.stdout.flush()


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_known(value)
    if isinstance(value, dict):
        return {_masked(k) if isinstance(k, str) else k: _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value


def say(text: str) -> None:
    print(mask_known(text))


def progress(text: str) -> None:
    """Progress goes to stderr, so stdout stays clean for --json."""
    print(mask_known(text), file=sys.stderr, flush=True)


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


def command_failed(exc: BaseException, library: Path, *, as_json: bool) -> None:
    """Say why a command stopped: on stderr with the Ref, and with ``--json`` as ``{"error": ...}`` on
    stdout. A SQLite error that escaped the catalog's own checks (a full disk, damage) is put in plain
    words too; anything else is a bug, logged with its traceback under the same Ref."""
    import logging

    from bookdesk import correlation
    from bookdesk.data.catalog_faults import translate
    from bookdesk.data.catalog_file import CATALOG_NAME
    from bookdesk.errors import BookDeskError

    error = exc if isinstance(exc, BookDeskError) else translate(library.absolute() / CATALOG_NAME, exc)
    ref = (error.correlation_id if error is not None else None) or correlation.new_id()
    with correlation.bound(ref):
        if error is None:
            logging.getLogger("bookdesk").error("unexpected error", exc_info=exc)
            message = f"unexpected error: {exc} (details in the log)"
        else:
            error.correlation_id = ref
            logging.getLogger("bookdesk").error("command failed: %s", error.message, exc_info=exc)
            message = error.message
    progress(f"bookdesk: {message} (Ref {ref})")
    if as_json:
        emit_json({"error": {"message": message, "correlation_id": ref,
                             "kind": type(error).__name__ if error is not None else "unexpected",
                             "retryable": bool(error is not None and error.retryable)}})
