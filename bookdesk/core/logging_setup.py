"""JSON-lines logs in a rotating file, every record stamped with its job's correlation id.

The Activity view and the error dialog read these lines back by correlation id.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bookdesk import correlation
from bookdesk.core import paths
from bookdesk.redaction import redact_text, redact_value

LOG_NAME = "bookdesk.jsonl"
_MAX_BYTES = 5 * 1024 * 1024
_BACKUPS = 5
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()) | {"message", "asctime"}


class CorrelationFilter(logging.Filter):
    """Puts the current correlation id on every record (None outside a job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "correlation_id", None):
            record.correlation_id = correlation.current()
        return True


class RedactingFilter(logging.Filter):
    """Masks every credential in a record before any handler writes it: the message with its
    arguments, every extra field and the traceback. Installed on every handler BookDesk adds (see
    ``install``), so no line reaches a file or a console unredacted, whatever the caller passed."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):
            return True
        record.msg = redact_text(_message(record))
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD_ATTRS and key != "correlation_id" and not key.startswith("_"):
                setattr(record, key, redact_value(key, value))
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info))
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        record._redacted = True
        return True


def _message(record: logging.LogRecord) -> str:
    """The record's message with its arguments; a call whose arguments do not fit its message
    (``log.warning("two %s %s", "one")``) is written as the message and its arguments side by side.
    Raising here would raise into the caller: a filter runs inside ``log.warning`` itself."""
    try:
        return record.getMessage()
    except Exception:  # noqa: BLE001 - any formatting failure of the caller's
        return f"{record.msg} {record.args!r}"


def install(handler: logging.Handler) -> logging.Handler:
    """Give ``handler`` the filters every BookDesk handler has: redaction, then the correlation id."""
    handler.addFilter(RedactingFilter())
    handler.addFilter(CorrelationFilter())
    return handler


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if not getattr(record, "_redacted", False):  # a handler set up without ``install``
            RedactingFilter().filter(record)
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None),
        }
        for key, value in vars(record).items():  # redacted already by RedactingFilter
            if key not in _STANDARD_ATTRS and key != "correlation_id" and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | type(None)) else str(value)
        if record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


_installed: logging.Handler | None = None


def setup_logging(level: int = logging.INFO, folder: Path | None = None) -> Path:
    """Send BookDesk's logs to ``bookdesk.jsonl`` in the log folder. Safe to call twice."""
    global _installed
    last_resort = logging.lastResort  # what prints a warning to stderr when no handler could be set up
    if last_resort is not None and not any(isinstance(f, RedactingFilter) for f in last_resort.filters):
        last_resort.addFilter(RedactingFilter())
    target = (folder or paths.log_dir())
    target.mkdir(parents=True, exist_ok=True)
    path = target / LOG_NAME
    root = logging.getLogger("bookdesk")
    if _installed is not None:
        if Path(getattr(_installed, "baseFilename", "")) == path:
            return path
        root.removeHandler(_installed)
        _installed.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS,
                                                   encoding="utf-8")
    handler.setFormatter(JsonLineFormatter())
    root.addHandler(install(handler))
    root.setLevel(level)
    _installed = handler
    return path


def log_file() -> Path | None:
    return Path(_installed.baseFilename) if isinstance(_installed, logging.FileHandler) else None


def lines_for(correlation_id: str, limit: int = 500, since: datetime | None = None) -> list[dict]:
    """The last ``limit`` log entries of one job, oldest first, across the rotated files.

    Read from the end of the newest file backwards, so a recent job costs a few blocks, not the
    whole log (six files of 5 MB); ``since`` (the job's start, naive UTC) ends the search at the
    first block written before it."""
    current = log_file()
    if current is None:
        return []
    for handler in logging.getLogger("bookdesk").handlers:
        handler.flush()
    files = [current] + [current.with_name(f"{current.name}.{n}") for n in range(1, _BACKUPS + 1)]
    needle = f'"correlation_id": "{correlation_id}"'.encode()
    # A line is stamped when it is written, a moment after the job's start was: a little slack.
    oldest = (since - timedelta(seconds=2)).isoformat(timespec="milliseconds").encode() if since else None
    found: list[dict] = []  # newest first
    for file in files:
        for block in _blocks_backwards(file):
            if needle in block:
                for line in reversed(block.split(b"\n")):
                    if needle in line and len(found) < limit:
                        try:
                            found.append(json.loads(line))
                        except json.JSONDecodeError:
                            continue
            if len(found) >= limit or (oldest is not None and b"" < _stamp(block) < oldest):
                return found[::-1]
    return found[::-1]


_BLOCK = 256 * 1024
_TIME_PREFIX = b'{"time": "'


def _blocks_backwards(path: Path) -> Iterator[bytes]:
    """Whole lines of ``path``, a block at a time, from its end to its start (each block in file order)."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return
    with fh:
        end = fh.seek(0, os.SEEK_END)
        carry = b""  # the start of a line whose beginning is in the block before
        while end > 0:
            start = max(0, end - _BLOCK)
            fh.seek(start)
            block = fh.read(end - start) + carry
            end = start
            first_end = block.find(b"\n")
            if start and first_end < 0:  # one line longer than a block: read on
                carry = block
                continue
            cut = first_end + 1 if start else 0
            carry, whole = block[:cut], block[cut:]
            if whole.strip():
                yield whole
        if carry.strip():
            yield carry


def _stamp(block: bytes) -> bytes:
    """The time of a block's first line, as written (ISO, UTC); empty when it has none."""
    head = block.lstrip()[:48]
    return head[len(_TIME_PREFIX):len(_TIME_PREFIX) + 23] if head.startswith(_TIME_PREFIX) else b""


def format_lines(entries: list[dict]) -> str:
    out = []
    for e in entries:
        out.append(f"{e.get('time', '')} {e.get('level', '')} {e.get('logger', '')}: {e.get('message', '')}")
        if e.get("traceback"):
            out.append(str(e["traceback"]).rstrip())
    return "\n".join(out)
