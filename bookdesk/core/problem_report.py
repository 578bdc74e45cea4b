"""A problem report the person can send: the log lines of one job (or the latest lines), the app
version, the platform and the settings, with every secret masked.

Nothing else goes in: no book files, no catalog, no secrets. Masking is belt and braces: the log
file is redacted when written (logging_setup.RedactingFilter), and the report masks again through
the same rules (bookdesk.redaction), with the values of the secrets BookDesk keeps for these
settings added to those it knows, and the home folder's path.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import sys
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bookdesk import APP_NAME, __version__, correlation
from bookdesk.core import logging_setup, paths
from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN, SecretStore, source_secret
from bookdesk.core.settings import Settings
from bookdesk.errors import UsageError
from bookdesk.redaction import MIN_SECRET_LENGTH, SECRET_NAME, redact_text, remember

LAST_LINES = 300  # lines from the end of the log when no reference is given
_USER_FIELD = re.compile(r"(?i)username|^user$")  # the person's account names are theirs too
_LOG_FIELDS = ("time", "level", "logger", "message", "correlation_id", "traceback")


def normalize_reference(text: str | None) -> str | None:
    """A reference as typed ("bd-7k3q9 ", "7K3Q9") as BookDesk writes it; None for none.
    Raises UsageError for something that is not one."""
    text = (text or "").strip().upper()
    if not text:
        return None
    if not text.startswith(correlation.PREFIX):
        text = correlation.PREFIX + text
    if not correlation.is_valid(text):
        raise UsageError(f"{text} is not a BookDesk reference; they look like BD-7K3Q9.")
    return text


def known_secrets(secrets: SecretStore | None, settings: Settings | None) -> list[str]:
    """The values of every secret BookDesk keeps for these settings, to be masked wherever they appear."""
    if secrets is None:
        return []
    names = [HARDCOVER_TOKEN, GOOGLEBOOKS_KEY]
    if settings is not None:
        for kind, sources in (("opds", settings.opds_catalogs), ("indexer", settings.indexers),
                              ("client", settings.download_clients)):
            names += [source_secret(kind, str(s.get("name", ""))) for s in sources if s.get("name")]
    values = []
    for name in names:
        try:
            value = secrets.get(name)
        except Exception:  # a keyring that fails must not stop the report; the log is redacted already
            logging.getLogger(__name__).warning("could not read secret %s for masking", name)
            continue
        if value and len(value) >= MIN_SECRET_LENGTH:
            remember(value)
            values.append(value)
    return sorted(set(values), key=len, reverse=True)  # longest first: one secret may contain another


def report_text(text: str, secret_values: Iterable[str] = ()) -> str:
    """``text`` as a report may carry it: redacted, the secrets it was given remembered first."""
    for value in secret_values:
        remember(value)
    text = redact_text(text)
    home = str(Path.home())
    if len(home) > 1:
        text = text.replace(home, "~")  # the person's user name is theirs
    return text


def settings_text(settings: Settings, secret_values: Iterable[str] = ()) -> str:
    """The settings as JSON with every secret-looking field left out and addresses masked."""
    values = list(secret_values)

    def scrub(value: object) -> object:
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items() if not (SECRET_NAME.search(str(k)) or _USER_FIELD.search(str(k)))}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, str):
            return report_text(value, values)
        return value

    return json.dumps(scrub(asdict(settings)), indent=2, ensure_ascii=False)


def _log_files(folder: Path) -> list[Path]:
    """The log file and its rotated copies, oldest first (bookdesk.jsonl.5 ... .1, then bookdesk.jsonl)."""
    current = folder / logging_setup.LOG_NAME
    rotated = []
    for path in folder.glob(f"{logging_setup.LOG_NAME}.*"):
        suffix = path.name.rsplit(".", 1)[-1]
        if suffix.isdigit():
            rotated.append((int(suffix), path))
    return [path for _n, path in sorted(rotated, reverse=True)] + ([current] if current.exists() else [])


def log_entries(correlation_id: str | None, folder: Path | None = None, last: int = LAST_LINES) -> list[dict]:
    """The log entries of one job, oldest first; with no id, the last ``last`` entries."""
    for handler in logging.getLogger("bookdesk").handlers:
        handler.flush()
    folder = folder or _log_folder()
    needle = f'"correlation_id": "{correlation_id}"' if correlation_id else None
    found: deque[dict] = deque(maxlen=None if needle else last)
    for path in _log_files(folder):
        with path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if needle is not None and needle not in line:
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(entry, dict):
                    found.append(entry)
    return list(found)


def _log_folder() -> Path:
    installed = logging_setup.log_file()
    return installed.parent if installed is not None else paths.log_dir()


def format_entry(entry: dict) -> str:
    """One entry as a line (the extra fields after the message), its traceback under it."""
    extras = " ".join(f"{k}={v}" for k, v in entry.items() if k not in _LOG_FIELDS)
    ref = f" [{entry['correlation_id']}]" if entry.get("correlation_id") else ""
    line = (f"{entry.get('time', '')} {entry.get('level', '')} {entry.get('logger', '')}{ref}: "
            f"{entry.get('message', '')}{'  ' + extras if extras else ''}")
    if entry.get("traceback"):
        line += "\n" + str(entry["traceback"]).rstrip()
    return line


def build_report(correlation_id: str | None, *, settings: Settings | None, secrets: SecretStore | None = None,
                 extra_lines: Sequence[str] = (), log_folder: Path | None = None, last_lines: int = LAST_LINES,
                 now: datetime | None = None) -> str:
    """The report's text, exactly as ``write_report`` writes it (the dialog shows it as a preview)."""
    secret_values = known_secrets(secrets, settings)
    entries = log_entries(correlation_id, log_folder, last_lines) if correlation_id else []
    if correlation_id and entries:
        which = f"the {len(entries)} log lines of job {correlation_id}"
    else:
        fallback = log_entries(None, log_folder, last_lines)
        which = (f"no log line carries {correlation_id}, so the last {len(fallback)} lines follow"
                 if correlation_id else f"the last {len(fallback)} log lines")
        entries = fallback
    moment = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S UTC")
    header = [
        f"{APP_NAME} problem report",
        f"Reference: {correlation_id or 'none'}",
        f"Written: {moment}",
        f"{APP_NAME}: {__version__}",
        f"Platform: {platform.platform()}",
        f"Python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"Frozen bundle: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
        *extra_lines,
        "",
        f"Included: version and platform, the settings without any secret, {which}.",
        "Not included: your books, the catalog, passwords, tokens and keys (masked as *** wherever they appeared).",
    ]
    body = "\n".join(format_entry(e) for e in entries) or "(the log is empty)"
    parts = ["\n".join(header), f"== Log ({len(entries)} lines) ==\n{body}"]
    if settings is not None:
        parts.append("== Settings ==\n" + settings_text(settings, secret_values))
    return report_text("\n\n".join(parts) + "\n", secret_values)


def default_file_name(correlation_id: str | None, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M")
    return f"bookdesk-report-{correlation_id or 'recent'}-{stamp}.txt"


def write_report(correlation_id: str | None, dest: Path, *, settings: Settings | None,
                 secrets: SecretStore | None = None, extra_lines: Sequence[str] = (),
                 log_folder: Path | None = None, last_lines: int = LAST_LINES) -> Path:
    """Write the report to ``dest`` (a .txt) through a temporary file renamed into place, so a
    half-written report never stands under that name. Returns ``dest``."""
    text = build_report(correlation_id, settings=settings, secrets=secrets, extra_lines=extra_lines,
                        log_folder=log_folder, last_lines=last_lines)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)
    return dest
