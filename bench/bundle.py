"""The packaged app against the app from the virtual environment: start-up time and size.

Measures, as separate processes with ``QT_QPA_PLATFORM=offscreen`` on one empty (already
created) library:
(a) the peer, ``.venv/bin/bookdesk smoke``: the entry point pip installed;
(b) ``dist/bookdesk/bookdesk smoke``: the bundle ``make dist`` built.
Each run is timed from spawn to exit (run_child of startup.py); one unmeasured warm-up of
each comes first, then ``--runs`` rounds interleave the two; times are medians. Sizes: the
bundle folder on disk (as ``du`` counts it), the .deb and the .tar.gz.
Targets: bundle <= 300 MB, bundle start <= 1.5x the venv's.

Usage: bundle.py [--runs R] [--bundle DIR] [--dist DIR]   (after ``make dist``)
Prints {"bench":"bundle","runs":R,"venv_s":..,"bundle_s":..,"bundle_over_venv":..,"bundle_mb":..,
        "deb_mb":..,"targz_mb":..,...}
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import emit, rounded  # noqa: E402
from startup import child_env, measure_rounds, median_seconds, peak_rss  # noqa: E402

from bookdesk.data.catalog import open_catalog  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def disk_usage(folder: Path) -> int:
    """Bytes the folder takes on disk, counting blocks like ``du`` (symbolic links are not followed)."""
    return sum(path.lstat().st_blocks * 512 for path in folder.rglob("*")) + folder.lstat().st_blocks * 512


def newest(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern), key=lambda path: path.stat().st_mtime)
    return found[-1] if found else None


def size_mb(path: Path | None) -> float | None:
    return rounded(path.stat().st_size / MB, 1) if path else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bundle", type=Path, default=REPO / "dist" / "bookdesk")
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where the .deb and .tar.gz are")
    args = parser.parse_args(argv)
    frozen = args.bundle / "bookdesk"
    venv_entry = Path(sys.executable).with_name("bookdesk")
    for program, hint in ((frozen, "run `make dist` first"), (venv_entry, "run `make install` first")):
        if not program.exists():
            raise SystemExit(f"{program} does not exist; {hint}")

    with tempfile.TemporaryDirectory(prefix="bookdesk-bundle-") as tmp:
        home = Path(tmp)
        library = home / "library"
        open_catalog(library).close()  # created once, so runs measure opening, not the first migration
        env = child_env(home)
        commands = {
            "venv": [str(venv_entry), "smoke", "--library", str(library)],
            "bundle": [str(frozen), "smoke", "--library", str(library)],
        }
        runs, errors = measure_rounds(commands, env, args.runs)

    def seconds(name: str) -> float | None:
        return median_seconds(runs[name])

    def rss(name: str) -> float | None:
        return peak_rss(runs[name])

    venv_s, bundle_s = seconds("venv"), seconds("bundle")
    figures: dict[str, object] = {
        "bench": "bundle", "runs": args.runs,
        "venv_s": venv_s, "bundle_s": bundle_s,
        "bundle_over_venv": rounded(bundle_s / venv_s, 2) if venv_s and bundle_s else None,
        "venv_peak_rss_mb": rss("venv"), "bundle_peak_rss_mb": rss("bundle"),
        "bundle_mb": rounded(disk_usage(args.bundle) / MB, 1),
        "deb_mb": size_mb(newest(args.dist, "bookdesk_*.deb")),
        "targz_mb": size_mb(newest(args.dist, "bookdesk-*.tar.gz")),
        "peer": ".venv/bin/bookdesk smoke (the pip entry point)",
    }
    if errors:
        figures["errors"] = {name: message[:300] for name, message in errors.items()}
    emit(figures)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
