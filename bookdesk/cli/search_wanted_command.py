"""``bookdesk search-wanted [--library DIR] [--dry-run] [--json]``: search the indexers for every wanted
book and grab the best release above the grab threshold.

Torrents go to the first enabled download client; a release that is the book file itself is
queued for the download queue, which fetches it when the app (or ``bookdesk fetch``) runs.
API keys and client passwords come from the keyring, or for scripts from the environment:
``BOOKDESK_INDEXER_<NAME>`` and ``BOOKDESK_CLIENT_<NAME>``, the name upper-cased with every
run of other characters than letters and digits as one underscore ("My Prowlarr" ->
``BOOKDESK_INDEXER_MY_PROWLARR``).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, progress, say
from bookdesk.core.acquisition import config
from bookdesk.core.acquisition.queue import DownloadQueue, QueueSettings
from bookdesk.core.acquisition.search_wanted import WorkSearch
from bookdesk.core.acquisition.sources import AcquisitionSources
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.factory import open_net
from bookdesk.core.secrets import SecretStore
from bookdesk.core.series.service import SeriesService
from bookdesk.core.settings import Settings, load_settings
from bookdesk.errors import UsageError
from bookdesk.platform.keyring_store import system_secret_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="rank the releases, grab nothing")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    return run(library, args.dry_run, args.json)


def run(library: Path, dry_run: bool, as_json: bool) -> int:
    settings = load_settings()
    indexers = [i for i in config.indexers(settings.indexers) if i.enabled]
    if not indexers:
        raise UsageError("No indexer is set up: add one (Prowlarr, Jackett) in Settings → Sources & Clients → Indexers.")
    secrets = system_secret_store()
    # Grabbing writes Download rows: only one BookDesk may have the library then. A dry run only reads.
    service = LibraryService.open(library, exclusive=not dry_run, create=False)
    series = SeriesService(service.catalog, settings.gap_policy(), settings.providers())
    try:
        books = series.wanted()
        if not as_json:
            progress(f"searching {len(indexers)} indexer(s) for {len(books)} wanted book(s)")
        queue = None if dry_run else DownloadQueue(service, settings=QueueSettings.from_settings(settings),
                                                   secrets=secrets)
        results = asyncio.run(_search(service, books, settings, secrets, dry_run, queue))
    finally:
        series.close()
        service.close()
    if as_json:
        emit_json({"works": [_work_json(r) for r in results]})
    else:
        for result in results:
            say(_work_text(result))
        grabbed = sum(1 for r in results if r.grabbed)
        say(f"{len(results)} search(es), {grabbed} grabbed, {sum(1 for r in results if r.failed)} failed")
    return 1 if any(r.failed for r in results) else 0


async def _search(service: LibraryService, books, settings: Settings, secrets: SecretStore,  # noqa: ANN001
                  dry_run: bool, queue: DownloadQueue | None) -> list[WorkSearch]:
    async with open_net() as net:
        sources = AcquisitionSources(service, settings, secrets, net.http, queue=queue, limiter=net.limiter)
        try:
            return await sources.search.run(books, dry_run=dry_run)
        finally:
            await sources.aclose()


def _work_json(result: WorkSearch) -> dict:
    best = result.best
    return {
        "work_id": result.work_id,
        "title": result.title,
        "media_kind": result.media_kind,
        "releases": result.releases,
        "blocked": result.blocked,
        "best": None if best is None else {
            "title": best.release.title, "score": best.total, "indexer": best.release.indexer,
            "format": best.format, "parts": best.parts(), "why": best.explain()},
        "grabbed": result.grabbed,
        "outcome": result.outcome,
        "download_id": result.download_id,
        "error": result.error,
        "indexer_errors": result.indexer_errors,
        "correlation_id": result.correlation_id,
    }


def _work_text(result: WorkSearch) -> str:
    kind = f" ({result.media_kind})" if result.media_kind else ""
    best = (f"; best {result.best.total:.2f} {result.best.release.title!r} from {result.best.release.indexer}"
            if result.best else "")
    why = f": {result.error} (Ref {result.correlation_id})" if result.error else ""
    line = f"{result.outcome:>19}  {result.title}{kind}: {result.releases} release(s){best}{why}"
    if result.indexer_errors and not result.error:  # the others answered; still say who did not
        line += "".join(f"\n{'':>21}not asked: {message}" for message in result.indexer_errors)
    return line
