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
import uuid
from collections.abc import Sequence
from pathlib import Path

from bookdesk.core.collector_pause import collector_paused
from bookdesk.core.series.summaries import KindFigures, SeriesOverview

log = logging.getLogger(__name__)

FORMAT = 1  # bumped whenever SeriesOverview's shape changes
ROWS_PER_DUMP = 500  # one json.dumps holds the GIL throughout: 12,000 rows at once kept the GUI waiting 85 ms


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
