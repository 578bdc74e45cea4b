"""The Series view's rows saved between runs, so the view opens at once on a fresh start.

Working every series out from nothing takes most of a second on a 100,000-book library. The
rows are saved to the user's cache folder with the catalog's ``series`` revision (a counter
that triggers move with everything the analysis reads: migration 0006) and what else they
depend on (the policy, the day, the provider order). At the next start, when the counter has
not moved and nothing else differs, the saved rows are the answer; otherwise they are
ignored and worked out again. JSON, not pickle: a cache file must never be able to run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

from bookdesk.core.collector_pause import collector_paused
from bookdesk.core.series.summaries import KindFigures, SeriesOverview

log = logging.getLogger(__name__)

FORMAT = 2  # bumped whenever SeriesOverview's shape, or which series are listed, changes (2: empty series unlisted)
ROWS_PER_DUMP = 500  # one json.dumps holds the GIL throughout: 12,000 rows at once kept the GUI waiting 85 ms


class SavedRows:
    """One series service's cache file: read once, and written when rows are first worked out and at close.

    Rows worked out again after each change to the catalog are only kept until ``flush`` (the service's
    close): writing every series after each batch of an identification was JSON on the worker, with the
    GIL, a hundred times over while the window waited for it (py-spy --gil, bench/ui_stalls.py identify:
    summary_cache.save). A run that ends without closing leaves older rows, which their key then refuses.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._held: tuple[list, list[SeriesOverview]] | None = None  # (key, rows) as loaded, written or kept
        self._written_once = False
        self._unwritten = False  # _held has rows not in the file yet

    def get(self, key: list) -> list[SeriesOverview] | None:
        """The rows saved (or kept) under ``key``; None when there are none."""
        if self.path is None:
            return None
        with self._lock:
            if self._held is None:
                rows = load(self.path, key)
                self._held = (key, rows) if rows is not None else None
            return list(self._held[1]) if self._held is not None and self._held[0] == key else None

    def put(self, key: list, rows: list[SeriesOverview]) -> None:
        if self.path is None:
            return
        with self._lock:
            if self._held is not None and self._held[0] == key:
                return
            self._held = (key, rows)
            self._unwritten = self._written_once
            if not self._written_once:
                save(self.path, key, rows)
                self._written_once = True

    def flush(self) -> None:
        """Write the rows kept since the file was last written, if any."""
        with self._lock:
            if self._unwritten and self.path is not None and self._held is not None:
                save(self.path, *self._held)
                self._unwritten = False


def cache_file_for(cache_dir: Path, catalog_path: Path) -> Path:
    """One file per catalog, named from its path (libraries are folders that may sit side by side)."""
    digest = hashlib.sha256(str(Path(catalog_path).resolve()).encode("utf-8")).hexdigest()[:24]
    return cache_dir / "series" / f"{digest}.json"


def load(path: Path, key: list) -> list[SeriesOverview] | None:
    """The saved rows when they were saved under ``key``; None when absent, stale or unreadable."""
    with collector_paused():  # tens of thousands of small objects at once: the collector would only slow it
        return _load(path, key)


def _load(path: Path, key: list) -> list[SeriesOverview] | None:
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.info("series cache %s unreadable (%s); working the series out again", path, exc)
        return None
    if not isinstance(raw, dict) or raw.get("key") != key:
        return None
    try:
        return [_overview(row) for row in raw["rows"]]
    except (KeyError, TypeError, ValueError) as exc:
        log.info("series cache %s malformed (%s); working the series out again", path, exc)
        return None


def save(path: Path, key: list, overviews: Sequence[SeriesOverview]) -> None:
    """Written to a temporary file and renamed: a crash leaves the old file or the new one, never half."""
    rows = [[o.id, o.name, o.authors, o.monitored, o.ignored, o.total, list(o.overall), list(o.ebook),
             list(o.audiobook), list(o.sources), o.flagged] for o in overviews]
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(_encoded(key, rows), encoding="utf-8")
        os.replace(temp, path)
    except OSError as exc:  # a cache is a help: a full disk or a read-only folder only costs speed
        log.info("series cache %s not saved (%s)", path, exc)
        with contextlib.suppress(OSError):  # the folder itself may be what is missing
            temp.unlink(missing_ok=True)


def _encoded(key: list, rows: list[list]) -> str:
    """``{"key": key, "rows": rows}`` as compact JSON, dumped a few hundred rows at a time so that other
    threads (the GUI's above all) get the GIL between the dumps."""
    def dumped(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts = [dumped(rows[start:start + ROWS_PER_DUMP])[1:-1] for start in range(0, len(rows), ROWS_PER_DUMP)]
    return f'{{"key":{dumped(key)},"rows":[{",".join(parts)}]}}'


def _overview(row: list, figures=KindFigures._make) -> SeriesOverview:  # noqa: ANN001 - bound once, for speed
    (series_id, name, authors, monitored, ignored, total, overall, ebook, audiobook, sources, flagged) = row
    if len(overall) != 4 or len(ebook) != 4 or len(audiobook) != 4:
        raise ValueError("a row's figures are not (owned, missing, completion, status)")
    return SeriesOverview(int(series_id), str(name), str(authors), bool(monitored), bool(ignored),
                          None if total is None else int(total), figures(overall), figures(ebook),
                          figures(audiobook), tuple(sources), bool(flagged))
