"""``bookdesk fetch URL... [--library DIR] [--no-import] [--work WORK_ID] [--json]``.

``fetch`` runs the download queue in the foreground for the URLs given: the same queue, rows and
``.part`` files as the app's, so a fetch that was interrupted (Ctrl+C, a crash, a kill) resumes
from the bytes it had when the same URL is fetched again, and the app picks it up too. A file the library
has already is said so ("already-here", with the library's file as its path), not "imported".

``--no-import`` with addresses opens a current catalog without SQLAlchemy (core/acquisition/fetch_library.py):
nothing it does needs the importer or the ORM, and a small file is fetched in a third of the time.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bookdesk.cli.output import add_json_option, emit_json, progress, say
from bookdesk.core.acquisition.fetch_library import FetchLibrary
from bookdesk.core.acquisition.progress import DownloadProgress
from bookdesk.core.acquisition.queue import DownloadQueue, QueueSettings
from bookdesk.core.settings import load_settings
from bookdesk.data.catalog_rows import DownloadRecord
from bookdesk.errors import UsageError
from bookdesk.platform.keyring_store import system_secret_store
from bookdesk.redaction import split_credentials

if TYPE_CHECKING:
    from bookdesk.core.library_service import LibraryService

EXIT_INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("urls", nargs="*", metavar="URL",
                        help="addresses of book files; none: finish every download left unfinished")
    parser.add_argument("--no-import", action="store_true", help="keep the files in the library's staging folder")
    parser.add_argument("--work", type=int, metavar="WORK_ID", help="the wanted book these files are")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    return run(library, args.urls, not args.no_import, args.work, args.json)


def run(library: Path, urls: list[str], import_after: bool, work_id: int | None, as_json: bool) -> int:
    """Download ``urls`` (and import them unless ``import_after`` is False); exit 1 if any failed.
    Without URLs, every unfinished download of the library (queued by the app or by
    ``search-wanted``, or interrupted) is carried to its end."""
    plain = FetchLibrary.open(library) if urls and not import_after and work_id is None else None
    service = plain if plain is not None else _library_service(library)
    try:
        if work_id is not None:
            service.detail(work_id)  # a clear "no such book" before anything is downloaded
        # A login written into an address goes to the keyring (for this run only where there is none).
        secrets = system_secret_store()
        if any(split_credentials(url)[1] for url in urls) and not secrets.persistent:
            progress("bookdesk fetch: there is no keyring here, so the login in the address is kept only while "
                     "this fetch runs; to resume it later, fetch the full address again")
        queue = DownloadQueue(service, settings=QueueSettings.from_settings(load_settings()),  # type: ignore[arg-type]
                              secrets=secrets, downloads=plain.download_access if plain is not None else None)
        if not as_json:
            queue.add_listener(_printer())
        try:
            records = asyncio.run(_fetch(queue, urls, import_after, work_id))
        except KeyboardInterrupt:
            progress("bookdesk fetch: interrupted; fetch the same addresses again to resume")
            return EXIT_INTERRUPTED
        items = [_item(service, r) for r in records]
    finally:
        service.close()
    if as_json:
        emit_json({"items": items})
    else:
        for item in items:
            where = f" -> {item['path']}" if item["path"] else ""
            why = f": {item['error']} (Ref {item['correlation_id']})" if item["error"] else ""
            say(f"{item['status']:>9}  {item['url']}{where}{why}")
    return 1 if any(i["status"] not in ("imported", "already-here", "completed") for i in items) else 0


async def _fetch(queue: DownloadQueue, urls: list[str], import_after: bool,
                 work_id: int | None) -> list[DownloadRecord]:
    for url in urls:  # every address checked before anything starts
        if not url.lower().startswith(("http://", "https://")):
            raise UsageError(f"{url!r} is not an http:// or https:// address.")
    await queue.astart(resume=not urls)
    try:
        if urls:
            ids = [queue.enqueue(url, import_after=import_after, work_id=work_id) for url in urls]
        else:
            ids = [i for i in queue.unfinished() if queue.progress(i).state != "paused"]
        return await queue.wait(ids)
    finally:
        await queue.aclose()


def _library_service(library: Path) -> LibraryService:
    from bookdesk.core.library_service import LibraryService

    return LibraryService.open(library)


def _item(service: LibraryService | FetchLibrary, record: DownloadRecord) -> dict:
    return {"url": record.url, "status": _status(service, record),
            "path": str(service.absolute(record.path)) if record.path else None,
            "work_id": record.work_id, "error": record.last_error if record.state != "imported" else None,
            "id": record.id, "correlation_id": record.correlation_id}


def _status(service: LibraryService | FetchLibrary, record: DownloadRecord) -> str:
    """The download's state; "already-here" for one imported whose file the library had already (its path is
    the library's own file, and nothing was added)."""
    if record.state != "imported":
        return record.state
    from bookdesk.core.acquisition.arrival import arrived_for  # only a download that was imported needs it

    arrival = arrived_for(service, record.id)  # type: ignore[arg-type]
    return "already-here" if arrival is not None and arrival.duplicates and not arrival.placed else "imported"


def _printer():  # noqa: ANN202 - a progress listener
    """Progress on stderr: each state change, and a running download about once a second."""
    last: dict[int, tuple[str, float]] = {}

    def show(p: DownloadProgress) -> None:
        now = time.monotonic()
        state, at = last.get(p.id, ("", 0.0))
        if p.state == state and now - at < 1.0:
            return
        last[p.id] = (p.state, now)
        size = f"{p.bytes_done / 1_048_576:.1f} MB" + (f" of {p.bytes_total / 1_048_576:.1f} MB"
                                                       if p.bytes_total else "")
        speed = f" · {p.speed / 1_048_576:.1f} MB/s" if p.speed else ""
        error = f" · {p.last_error}" if p.last_error and p.state in ("failed", "queued") else ""
        progress(f"{p.state:>9}  {p.title or p.url}  {size}{speed}{error}")

    return show
