"""Import throughput against calibre, re-import speed, and peak memory with a hostile file.

In one run, on the same 2,000 EPUBs made by tests/corpus.py:
- calibre: ``calibredb add -r CORPUS --with-library FRESH`` (Debian package ``calibre``),
- BookDesk: ``python -m bookdesk import CORPUS --library FRESH --json``,
- BookDesk again on the same folder (a re-import: everything is already there),
- BookDesk on the corpus plus one hostile EPUB (a member that inflates to 512 MB), for peak memory.
The first imports run ``--runs`` times each (three by default), calibre and BookDesk taking turns
to go first, and the figures are the medians. Each is a separate process timed from start to exit; memory is the peak of the summed RSS of the
process and its reader processes, sampled from /proc (so the wall times include that light sampling). Targets: BookDesk >= 5x calibre's
books/s; re-import >= 20x faster than the first import; peak memory < 700 MB.

Usage: import.py [--books N] [--corpus DIR] [--runs R]
Prints {"bench":"import","books":N,"calibre_books_per_s":..,"bookdesk_books_per_s":..,"ratio":..,...}
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import emit, log, make_corpus, median, rounded  # noqa: E402
from _measure import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

def calibre_added(stdout: str) -> int:
    """How many books ``calibredb add`` says it added ("Added book ids: 1, 2, ...")."""
    for line in stdout.splitlines():
        if line.startswith("Added book ids:"):
            return len([i for i in line.split(":", 1)[1].split(",") if i.strip()])
    return 0


def hostile_epub(path: Path, inflated_mb: int = 512) -> None:
    """A valid-looking EPUB whose cover inflates to ``inflated_mb`` MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:'
                   'names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" '
                   'media-type="application/oebps-package+xml"/></rootfiles></container>')
        z.writestr("content.opf", '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
                   '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Bomb</dc:title></metadata>'
                   '<manifest><item id="c" href="cover.png" media-type="image/png" properties="cover-image"/>'
                   '</manifest><spine/></package>')
        with z.open("cover.png", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(inflated_mb):
                member.write(block)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=2000)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="first imports of each side to take the median of")
    args = parser.parse_args()
    calibredb = shutil.which("calibredb")
    if calibredb is None:
        raise SystemExit("calibredb not found: apt-get install calibre")
    with tempfile.TemporaryDirectory(prefix="bookdesk-bench-import-") as tmp:
        work = Path(tmp)
        corpus = args.corpus or work / "corpus"
        if args.corpus is None:
            log(f"making {args.books} EPUBs")
            make_corpus(corpus, args.books)
        books = len(list(corpus.rglob("*.epub")))
        env = dict(os.environ, BOOKDESK_LOG_DIR=str(work / "logs"), BOOKDESK_CONFIG_DIR=str(work / "config"),
                   CALIBRE_CONFIG_DIRECTORY=str(work / "calibre-config"), QT_QPA_PLATFORM="offscreen")
        bookdesk = [sys.executable, "-m", "bookdesk", "import", str(corpus), "--json"]
        calibre_runs, bookdesk_runs = [], []

        def run_calibre(run: int) -> None:
            for attempt in (1, 2):  # calibre may refuse while another calibre program still holds its lock
                library = work / f"calibre-{run}-{attempt}"
                result = measure([calibredb, "add", "-r", str(corpus), "--with-library", str(library)], env)
                added = calibre_added(result["stdout"])
                if added == books:
                    break
                log(f"run {run + 1}: calibre added {added} of {books} books: {result['stderr'][-500:]}")
            else:
                raise SystemExit(f"calibredb add -r did not add the {books} books")
            calibre_runs.append(result)
            log(f"run {run + 1}: calibre {result['seconds']:.2f} s")

        def run_bookdesk(run: int) -> None:
            first = measure([*bookdesk, "--library", str(work / f"bookdesk-{run}")], env)
            added = json.loads(first["stdout"])["added"]
            if added != books:
                raise SystemExit(f"bookdesk added {added} of {books} books")
            bookdesk_runs.append(first)
            log(f"run {run + 1}: bookdesk {first['seconds']:.2f} s")

        # The order alternates, so neither side always runs on a cold file cache or after the other's writes.
        for run in range(args.runs):
            for side in (run_calibre, run_bookdesk) if run % 2 == 0 else (run_bookdesk, run_calibre):
                side(run)
        log("re-import")
        again = measure([*bookdesk, "--library", str(work / "bookdesk-0")], env)
        again_doc = json.loads(again["stdout"])
        if again_doc["added"] != 0:
            raise SystemExit("the re-import added books")
        log("with a hostile file")
        hostile = work / "hostile"
        shutil.copytree(corpus, hostile)
        hostile_epub(hostile / "zz-bomb.epub")
        with_bomb = measure([sys.executable, "-m", "bookdesk", "import", str(hostile), "--json", "--library",
                             str(work / "bookdesk-hostile")], env)
        bomb_doc = json.loads(with_bomb["stdout"])
        calibre_s = median([r["seconds"] for r in calibre_runs])
        bookdesk_s = median([r["seconds"] for r in bookdesk_runs])
        first_job_s = json.loads(bookdesk_runs[0]["stdout"])["seconds"]
        emit({
            "bench": "import", "books": books, "runs": args.runs,
            "calibre_s": rounded(calibre_s), "calibre_books_per_s": rounded(books / calibre_s, 1),
            "bookdesk_s": rounded(bookdesk_s), "bookdesk_books_per_s": rounded(books / bookdesk_s, 1),
            "ratio": rounded(calibre_s / bookdesk_s, 2),
            "reimport_s": rounded(again["seconds"]), "reimport_speedup": rounded(bookdesk_s / again["seconds"], 1),
            "first_import_job_s": rounded(first_job_s), "reimport_job_s": rounded(again_doc["seconds"]),
            "reimport_job_speedup": rounded(first_job_s / max(again_doc["seconds"], 1e-6), 1),
            "peak_rss_mb": rounded(max(r["peak_kb"] for r in bookdesk_runs) / 1024, 1),
            "hostile_peak_rss_mb": rounded(with_bomb["peak_kb"] / 1024, 1),
            "hostile_added": bomb_doc["added"], "hostile_failed": len(bomb_doc["failed"]),
            "calibre_runs_s": [rounded(r["seconds"]) for r in calibre_runs],
            "bookdesk_runs_s": [rounded(r["seconds"]) for r in bookdesk_runs],
            "peer": "calibredb add -r, order alternated",
        })


if __name__ == "__main__":
    main()
