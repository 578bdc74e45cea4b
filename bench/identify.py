"""Identifying a library with poor metadata against providers at their published rates.

In one run:
- ``python -m tests.corpus OUT 150 --degrade`` makes 150 real EPUBs whose metadata was
  spoiled the way real files are (title lower-cased or without "The", author missing, surname
  only or misspelt, no ISBN, half of them named "Surname - title.epub"), and manifest.json of the
  truth;
- ``python -m bookdesk import OUT --library FRESH --json`` imports them;
- a provider world (tests/fakes/provider_world/) plays Open Library, Google Books, Hardcover and
  Audnexus on 127.0.0.1 over the manifest's true books plus decoys (companion "Summary of ..."
  books, series omnibuses, books of the same title by other authors), enforcing each provider's
  PUBLISHED limit (Open Library 3/s, Google 100/100 s, Hardcover 60/min per token, Audnexus
  100/min) with 429 + Retry-After, and recording every request;
- ``python -m bookdesk identify --all --library FRESH --json`` runs against it with the
  BOOKDESK_*_URL variables, BOOKDESK_CACHE_DIR/LOG_DIR/CONFIG_DIR in a temporary folder and the
  Hardcover token in BOOKDESK_HARDCOVER_TOKEN (BookDesk's way to give a token for one run on a
  machine without a keyring);
- the catalog (``bookdesk list --json``) is compared with the truth.

Definitions:
- a book "can be told apart" when its file still carries its title and some hint of its author:
  an author in the metadata (whole, surname only or misspelt) or the "Surname - title.epub" file
  name. A title alone is not enough: the world, like the real one, has other books of that title.
- "applied correctly": status applied and the catalog's title and authors equal the truth's (after
  folding case, accents and punctuation). "Wrong": applied with a title or author that is not.
- requests per book: every request the world saw (searches, series lookups, covers) / books.
- the rate-limit floor: for each provider with a published limit, requests / allowed rate; the
  floor is the largest (the providers are asked in parallel). The image hosts publish no limit.

Targets (issue 4): >= 85% of the books that can be told apart applied correctly, <= 1 wrong,
<= 4 requests per book, never above a provider's rate, wall <= 1.5 x floor.

Usage: identify.py [--books 150] [--seed 414] [--world-seed 1] [--hazard PROVIDER=KIND ...]
                   [--no-hardcover] [--only PROVIDER] [--details FILE] [--keep]
  KIND: refused | reset | 503 | error:SHARE | html:SHARE | truncate:SHARE | slow:SECONDS | storm:COUNT
Prints {"bench":"identify", "books":..., "distinguishable":..., "applied_correct":..., ...}
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _common import emit, log, make_corpus, rounded  # noqa: E402

from tests.fakes.provider_world import Catalogue, Hazard, ProviderWorld, same_text  # noqa: E402

NAMED = re.compile(r"^(?P<surname>.+?) - (?P<title>.+)\.epub$")
PROVIDERS = ("hardcover", "openlibrary", "googlebooks", "audnexus")
TARGETS = {"correct_share": 0.85, "wrong": 1, "requests_per_book": 4.0, "wall_over_floor": 1.5}


def parse_hazard(text: str) -> tuple[str, Hazard]:
    provider, _, kind = text.partition("=")
    name, _, value = kind.partition(":")
    if name in ("refused", "reset", "503"):
        return provider, Hazard(down=name)
    field = {"error": "error_rate", "html": "html_rate", "truncate": "truncate_rate", "slow": "slow",
             "storm": "storm"}.get(name)
    if field is None or not value:
        raise SystemExit(f"bad --hazard {text!r}")
    return provider, Hazard(**{field: int(value) if field == "storm" else float(value)})


def run(args: list[str], env: dict[str, str], timeout: float = 3600) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=env, timeout=timeout)
    return done, time.perf_counter() - started


def distinguishable(entry: dict) -> bool:
    named = NAMED.match(Path(entry["file"]).name)
    return bool(entry.get("file_title")) and bool(entry.get("file_author") or named)


def main() -> int:
    options = parse_options()
    work = Path(tempfile.mkdtemp(prefix="bookdesk-bench-identify-"))
    corpus, library = work / "corpus", work / "library"
    env = clean_env(work, library)
    world = None
    try:
        truth, work_of = import_corpus(options, corpus, library, env)
        token = "hc_" + secrets.token_urlsafe(24)
        world = start_world(options, truth, token)
        providers = use_world(options, world, token, work, env)

        log(f"identifying against {world.url} at the published rates (this takes minutes)")
        done, wall = run([sys.executable, "-m", "bookdesk", "identify", "--all", "--library", str(library),
                          "--json"], env)
        if done.returncode not in (0, 1):
            raise SystemExit(f"identify failed ({done.returncode}): {done.stderr[-3000:]}")
        report = json.loads(done.stdout)
        notes = [line[6:] for line in done.stderr.splitlines() if line.startswith("note: ")]
        listed, _ = run([sys.executable, "-m", "bookdesk", "list", "--library", str(library), "--json"], env)
        catalog = {book["id"]: book for book in json.loads(listed.stdout)["books"]}
        books = judge(truth, work_of, {r["work_id"]: r for r in report["results"]}, catalog)
        leaks = token_leaks(token, work, library, world)
        log_misses(books)
        if options.details:
            write_details(options.details, books, notes, world)
        outcome, outcome_met = outcome_figures(books)
        requests, requests_met = request_figures(world, len(books), wall)
        emit({"bench": "identify", "books": len(books), "providers": providers, "hazards": options.hazard,
              **outcome, **requests, "notes": notes, "token_leaks": leaks, "exit_code": done.returncode,
              "targets_met": {**outcome_met, **requests_met}})
        return 0
    finally:
        if world is not None:
            world.stop()
        if options.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=150)
    parser.add_argument("--seed", type=int, default=414, help="the corpus' seed (tests/corpus.py)")
    parser.add_argument("--world-seed", type=int, default=1, help="the decoys' and coverage's seed")
    parser.add_argument("--hazard", action="append", default=[], help="PROVIDER=KIND, e.g. hardcover=refused")
    parser.add_argument("--no-hardcover", action="store_true", help="run without a Hardcover token")
    parser.add_argument("--only", choices=PROVIDERS, help="ask this provider alone (the others switched off)")
    parser.add_argument("--details", type=Path, help="write every book's outcome here (JSON)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args()


def clean_env(work: Path, library: Path) -> dict[str, str]:
    """This run's own folders, and no provider address or key of the person running it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "BOOKDESK_CONFIG_DIR": str(work / "config"),
           "BOOKDESK_LOG_DIR": str(work / "logs"), "BOOKDESK_CACHE_DIR": str(work / "cache"),
           "BOOKDESK_LIBRARY": str(library)}
    for name in ("BOOKDESK_HARDCOVER_TOKEN", "BOOKDESK_GOOGLEBOOKS_API_KEY", "BOOKDESK_OPENLIBRARY_URL",
                 "BOOKDESK_OPENLIBRARY_COVERS_URL", "BOOKDESK_GOOGLEBOOKS_URL", "BOOKDESK_HARDCOVER_URL",
                 "BOOKDESK_AUDNEXUS_URL"):
        env.pop(name, None)
    return env


def import_corpus(options: argparse.Namespace, corpus: Path, library: Path,
                  env: dict[str, str]) -> tuple[list[dict], dict[str, int]]:
    """The degraded corpus made and imported: its truth, and each file's work id by file name."""
    log(f"making {options.books} degraded EPUBs in {corpus}")
    make_corpus(corpus, options.books, "--degrade", "--seed", str(options.seed))
    truth = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    done, import_seconds = run([sys.executable, "-m", "bookdesk", "import", str(corpus), "--library",
                                str(library), "--json"], env)
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
    imported = json.loads(done.stdout)
    work_of = {Path(item["path"]).name: item["work_id"] for item in imported["items"] if item.get("work_id")}
    log(f"imported {len(work_of)} books in {import_seconds:.1f} s")
    return truth, work_of


def start_world(options: argparse.Namespace, truth: list[dict], token: str) -> ProviderWorld:
    world = ProviderWorld(Catalogue.from_truth(truth, seed=options.world_seed), hardcover_tokens=[token])
    for spec in options.hazard:
        provider, hazard = parse_hazard(spec)
        world.hazards[provider] = hazard
    return world.start()


def use_world(options: argparse.Namespace, world: ProviderWorld, token: str, work: Path,
              env: dict[str, str]) -> list[str]:
    """Point BookDesk's environment at the world; returns the providers it will ask."""
    providers = [p for p in PROVIDERS if options.only in (None, p)]
    if options.no_hardcover and "hardcover" in providers:
        providers.remove("hardcover")
    switched_off = {p: False for p in PROVIDERS if p not in providers}
    if switched_off:
        (work / "config").mkdir(parents=True, exist_ok=True)
        (work / "config" / "settings.json").write_text(json.dumps({"providers_enabled": switched_off}),
                                                       encoding="utf-8")
    if "hardcover" in providers:
        env["BOOKDESK_HARDCOVER_TOKEN"] = token
    env.update(world.env())
    return providers


def judge(truth: list[dict], work_of: dict[str, int], results: dict[int, dict], catalog: dict[int, dict]) -> list[dict]:
    """Every book's outcome against its truth."""
    books = []
    for entry in truth:
        work_id = work_of.get(Path(entry["file"]).name)
        result = results.get(work_id, {})
        now = catalog.get(work_id, {})
        title_ok = same_text(now.get("title"), entry["title"])
        authors = now.get("authors") or []
        author_ok = len(authors) == 1 and same_text(authors[0], entry["author"])
        series_ok = None
        if entry.get("series"):
            series_ok = any(same_text(s.get("name"), entry["series"]) and str(s.get("position", s.get("label"))) == f"{entry['index']:g}"
                            for s in now.get("series", []))
        books.append({"work_id": work_id, "file": entry["file"], "file_title": entry["file_title"],
                      "file_author": entry["file_author"], "truth": [entry["title"], entry["author"]],
                      "distinguishable": distinguishable(entry), "status": result.get("status"),
                      "score": result.get("score"), "reason": result.get("reason"), "error": result.get("error"),
                      "now": [now.get("title"), authors], "correct": title_ok and author_ok,
                      "series_ok": series_ok})
    return books


def log_misses(books: list[dict]) -> None:
    misses = [b for b in books if b["distinguishable"] and not (b["status"] == "applied" and b["correct"])]
    for b in misses[:40]:
        log(f"miss: #{b['work_id']} {b['file_title']!r} / {b['file_author']!r} -> {b['status']} "
            f"({b['reason'] or b['error']}); truth {b['truth']}, now {b['now']}")
    for b in books:
        if b["status"] == "applied" and not b["correct"]:
            log(f"WRONG: #{b['work_id']} {b['file_title']!r} / {b['file_author']!r}: truth {b['truth']}, now {b['now']}")


def write_details(path: Path, books: list[dict], notes: list[str], world: ProviderWorld) -> None:
    path.write_text(json.dumps({"books": books, "notes": notes, "rates": world.rate_report(),
                                "requests": [{"at": r.at, "provider": r.provider, "path": r.path,
                                              "query": r.query, "search": r.search,
                                              "status": r.status, "outcome": r.outcome}
                                             for r in world.requests()]},
                               ensure_ascii=False, indent=1), encoding="utf-8")


def outcome_figures(books: list[dict]) -> tuple[dict, dict[str, bool]]:
    """What was applied, and whether it was right; and the targets of that met."""
    told_apart = [b for b in books if b["distinguishable"]]
    applied = [b for b in books if b["status"] == "applied"]
    correct = [b for b in told_apart if b["status"] == "applied" and b["correct"]]
    wrong = [b for b in applied if not b["correct"]]
    series_books = [b for b in applied if b["correct"] and b["series_ok"] is not None]
    share = len(correct) / len(told_apart) if told_apart else 0.0
    met = {"correct_share>=0.85": share >= TARGETS["correct_share"], "wrong<=1": len(wrong) <= TARGETS["wrong"]}
    return {
        "distinguishable": len(told_apart),
        "applied_correct": len(correct),
        "applied_correct_share": rounded(share),
        "applied_correct_all_books": sum(1 for b in applied if b["correct"]),
        "series_correct_of_correct_with_series": f"{sum(1 for b in series_books if b['series_ok'])}"
                                                 f"/{len(series_books)}",
        "wrong_applied": len(wrong),
        "status": dict(Counter(b["status"] for b in books)),
    }, met


def request_figures(world: ProviderWorld, books: int, wall: float) -> tuple[dict, dict[str, bool]]:
    """How many requests went where, whether any rate was exceeded, and the wall time against the
    floor the published rates set; and the targets of that met."""
    counts = world.counts()
    per_book = world.requests_per_book()
    shared = per_book.pop(None, 0)
    rate_report = world.rate_report()
    floors = {p: r["requests"] / (r["limit"] / r["per_seconds"]) for p, r in rate_report.items()}
    floor = max(floors.values(), default=0.0)
    total_requests = sum(counts.values())
    exceeded = {p: {"max_in_window": r["max_in_window"], "limit": r["limit"], "answered_429": r["answered_429"]}
                for p, r in rate_report.items() if r["exceeded"] or r["answered_429"]}
    figures = {
        "requests": total_requests,
        "requests_by_provider": counts,
        "requests_per_book": rounded(total_requests / max(1, books)),
        "api_requests_per_book": rounded((total_requests - counts.get("images", 0)) / max(1, books)),
        "requests_one_book_max": max(per_book.values(), default=0),
        "books_over_4_requests": sum(1 for n in per_book.values() if n > 4),
        "requests_for_no_one_book": shared,
        "rate_exceeded": exceeded or False,
        "wall_s": rounded(wall, 1),
        "floor_s": rounded(floor, 1),
        "floor_by_provider_s": {p: rounded(v, 1) for p, v in floors.items()},
        "wall_over_floor": rounded(wall / floor, 2) if floor else None,
    }
    return figures, {"requests_per_book<=4": figures["requests_per_book"] <= TARGETS["requests_per_book"],
                     "never_above_rate": not exceeded,
                     "wall<=1.5xfloor": bool(floor) and wall / floor <= TARGETS["wall_over_floor"]}


def token_leaks(token: str, work: Path, library: Path, world: ProviderWorld) -> list[str]:
    """Where the Hardcover token shows up besides the Authorization header of requests to Hardcover."""
    found = []
    needle = token.encode()
    for folder in (library, work / "config", work / "cache", work / "logs"):
        for path in folder.rglob("*") if folder.exists() else []:
            if path.is_file() and needle in path.read_bytes():
                found.append(str(path.relative_to(work)))
    for record in world.requests():
        headers = dict(record.headers)
        if record.provider == "hardcover":
            headers.pop("authorization", None)
        if needle in record.body or token in record.url or any(token in v for v in headers.values()):
            found.append(f"request {record.method} {record.path}")
    return sorted(set(found))


if __name__ == "__main__":
    sys.exit(main())
