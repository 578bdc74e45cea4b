"""Send: a local book's files go to a library of an Audiobookshelf server through its upload API (so it
works when the server is another machine), laid out as Audiobookshelf reads a folder
(``Author/Series/Vol N - Title {Narrator}``). The server is then asked to scan, BookDesk waits for the
items to appear (polling politely, within ``WAIT``), sets BookDesk's metadata of the book on each (the
fields the server syncs), and links each to its book in ``abs_links`` as a pull would, so the book counts
as on that server.

A book refused (no file here, a folder of that name there already, no permission, the server's disk
full) fails alone, with a message and the job's Ref; the rest of the batch goes on. Nothing is
uploaded over a folder that is there already: the server would mix the files of two books.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

import httpx

from bookdesk.core.audiobookshelf.client import AbsError, AbsLibrary, api_key, chosen_libraries
from bookdesk.core.audiobookshelf.config import AbsServerConfig
from bookdesk.core.audiobookshelf.items import AbsItem, parse_item
from bookdesk.core.audiobookshelf.pull import link_values
from bookdesk.core.audiobookshelf.push_fields import ours, payload, same
from bookdesk.core.audiobookshelf.upload import AbsUploadClient
from bookdesk.core.file_names import safe_component
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.secrets import SecretStore
from bookdesk.data.abs_link_repository import AbsLinkRepository
from bookdesk.data.catalog import Catalog
from bookdesk.data.catalog_rows import UNKNOWN_AUTHOR, WorkDetail
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import UsageError

log = logging.getLogger(__name__)

WAIT = 300.0  # seconds a scan may take to list what was sent; a big library on a NAS scans slowly
POLL = (1.0, 2.0, 3.0, 5.0)  # the pause before each look at the newest items, the last repeated
NOT_SCANNED = " (only its admins may ask it to scan: its watcher or its next scheduled scan finds them)"
MATCHED_BY = "sent"  # how the link was made, beside path, asin, isbn, title and new


@dataclass
class SendReport:
    correlation_id: str
    server: str = ""
    library: str = ""
    sent: list[dict] = field(default_factory=list)  # {"work_id", "item_id"}
    failed: list[dict] = field(default_factory=list)  # {"work_id", "title", "error", "ref"}

    def to_json(self) -> dict:
        return asdict(self)

    @property
    def changed(self) -> list[int]:
        return [entry["work_id"] for entry in self.sent]

    def summary(self) -> str:
        said = f"{len(self.sent)} book{'s' if len(self.sent) != 1 else ''} sent to {self.server} ({self.library})"
        if self.failed:
            said += f"; {len(self.failed)} not sent: " + " ".join(f["error"] for f in self.failed)
        return said


@dataclass(frozen=True, slots=True)
class SendTarget:
    """A book library of a server that books may be sent to."""

    server: str
    library: str  # its name

    @property
    def label(self) -> str:
        return f"{self.server} — {self.library}"


async def send_targets(configs: list[AbsServerConfig], secrets: SecretStore, *, limiter: RateLimiter | None = None,
                       transport: httpx.AsyncBaseTransport | None = None) -> tuple[list[SendTarget], list[str]]:
    """The book libraries BookDesk reads of each of ``configs`` (as Send to Audiobookshelf… offers them), and
    what kept a server from answering: one down or refusing its key leaves the others to choose."""
    targets: list[SendTarget] = []
    problems: list[str] = []
    for config in configs:
        try:
            client = AbsUploadClient(config, api_key(config, secrets), limiter=limiter, transport=transport,
                                     secrets=secrets)
            try:
                libraries = await client.libraries()
            finally:
                await client.aclose()
            targets += [SendTarget(config.name, lib.name) for lib in chosen_libraries(config, libraries)
                        if lib.folder_ids]
        except AbsError as exc:  # the others are offered still
            problems.append(exc.message)
    return targets, problems


def layout(detail: WorkDetail) -> tuple[str, str, str]:
    """(author, series, title) folder names as Audiobookshelf reads them: ``Vol N - Title {Narrator}``."""
    author = safe_component(detail.authors[0] if detail.authors else UNKNOWN_AUTHOR)
    series = detail.series[0] if detail.series else None
    title = detail.title
    if series is not None and series.label:
        title = f"Vol {series.label} - {title}"
    narrators = [c.name for c in detail.contributors if c.role == "narrator"]
    if narrators:
        title += " {" + ", ".join(narrators) + "}"
    return author, safe_component(series.name) if series is not None else "", safe_component(title)


class AbsSend:
    """``transport`` and ``sleep`` are for tests; ``limiter`` the run's one rate limiter."""

    def __init__(self, catalog: Catalog, config: AbsServerConfig, secrets: SecretStore, work_ids: list[int], *,
                 library: str | None = None, limiter: RateLimiter | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep, wait: float = WAIT) -> None:
        self.catalog = catalog
        self.config = config
        self.secrets = secrets
        self.work_ids = work_ids
        self.library = library
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.transport = transport
        self._sleep = sleep
        self.wait = wait
        self.scanned = True  # whether the server took the request to scan

    async def run(self, ctx) -> SendReport:  # noqa: ANN001 - a JobContext
        report = SendReport(ctx.correlation_id, self.config.name)
        with self.catalog.read() as session:
            details = {d.id: d for d in WorkRepository(session).details(self.work_ids)}
        client = AbsUploadClient(self.config, api_key(self.config, self.secrets), limiter=self.limiter,
                                 transport=self.transport, secrets=self.secrets)
        try:
            target = self._target(await client.libraries())
            report.library = target.name
            waiting: dict[str, int] = {}  # the folder as the server will list it -> the work
            for number, work_id in enumerate(self.work_ids):
                ctx.check_cancelled()
                detail = details.get(work_id)
                ctx.report(number / max(1, len(self.work_ids)) * 0.8, f"Sending {detail.title if detail else work_id}")
                try:
                    waiting[await self._upload(client, target, work_id, detail)] = work_id
                except AbsError as exc:  # this book alone: the others go on
                    self._failed(report, work_id, detail, exc.message)
            if waiting:
                ctx.report(0.85, f"Waiting for {self.config.name} to list what was sent")
                self.scanned = await client.scan(target.id)
                found = await self._appeared(client, target, set(waiting))
                items = {i.item_id: i for i in map(parse_item, await client.items(list(found.values()))) if i}
                work_of = {item_id: waiting[folder] for folder, item_id in found.items()}
                for item_id, item in items.items():
                    items[item_id] = await self._describe(client, item, details[work_of[item_id]])
                self._link(report, waiting, found, items, details)
        finally:
            await client.aclose()
        ctx.summary = report.summary()
        return report

    def _target(self, libraries: list[AbsLibrary]) -> AbsLibrary:
        books = chosen_libraries(self.config, libraries)
        if self.library is not None:
            every = books
            books = [lib for lib in every if self.library in (lib.id, lib.name)]
            if not books:
                raise UsageError(f"Audiobookshelf server {self.config.name} has no book library called "
                                 f"{self.library!r} that BookDesk reads; it has: "
                                 f"{', '.join(lib.name for lib in every) or 'none'}.")
        if len(books) != 1 or not books[0].folder_ids:
            names = ", ".join(lib.name for lib in books) or "none"
            raise UsageError(f"Say which library of Audiobookshelf server {self.config.name} to send to "
                             f"(--to LIBRARY); it has: {names}.")
        return books[0]

    async def _upload(self, client: AbsUploadClient, target: AbsLibrary, work_id: int,
                      detail: WorkDetail | None) -> str:
        """Sends the book's files; the folder, relative to the library's folder, it will be listed at."""
        if detail is None:
            raise AbsError(f"There is no book with id {work_id} in this library.")
        with self.catalog.read() as session:  # sent before or pulled from there: nothing to send
            there = self.config.name in AbsLinkRepository(session).servers_of([work_id]).get(work_id, [])
        if there:
            raise AbsError(f"“{detail.title}” is on {self.config.name} already; nothing was sent.")
        files = [self.catalog.folder / f.path for f in detail.files]
        if not files:
            raise AbsError(f"“{detail.title}” has no file here to send.")
        missing = [p.name for p in files if not p.is_file()]
        if missing:
            raise AbsError(f"“{detail.title}”: {missing[0]} is not in the library folder; nothing was sent.")
        parts = layout(detail)
        directory = "/".join(part for part in parts if part)
        if await client.path_exists(target.folders[0], directory):
            raise AbsError(f"{client.label} has a folder {directory} in library {target.name} already; "
                           f"“{detail.title}” was not sent over it (a pull links it when it is this book).")
        await client.upload(target.id, target.folder_ids[0], parts, files)
        return directory

    async def _appeared(self, client: AbsUploadClient, target: AbsLibrary, folders: set[str]) -> dict[str, str]:
        """The item id of each folder in ``folders`` the server lists within ``wait`` seconds."""
        found: dict[str, str] = {}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        for attempt in range(10_000):
            for raw in await client.recent_items(target.id, len(folders)):
                rel = str(raw.get("relPath") or "")
                if rel in folders and not raw.get("isMissing"):
                    found[rel] = str(raw.get("id"))
            if len(found) == len(folders) or loop.time() >= deadline:
                break
            await self._sleep(POLL[min(attempt, len(POLL) - 1)])
        return found

    async def _describe(self, client: AbsUploadClient, item: AbsItem, detail: WorkDetail) -> AbsItem:
        """The item with BookDesk's metadata of the book (the fields the server syncs): the server read
        only the folder's name and the files' tags. Made by this job, the item has nothing of its own to
        keep, so nothing goes to review; the link keeps the item as it is afterwards, which a push
        compares with later. A refusal here leaves the item linked as the server read it."""
        values = ours(detail)
        current = item.snapshot()
        fields = {name: values[name] for name in self.config.sync_fields if not same(name, values[name],
                                                                                    current.get(name))}
        if not fields:
            return item
        try:
            answer = await client.update_media(item.item_id, payload(fields))
        except AbsError as exc:
            log.warning("metadata of a sent book not set on Audiobookshelf", extra={"reason": exc.message})
            return item
        return parse_item(answer.get("libraryItem") or {}) or item

    def _link(self, report: SendReport, waiting: dict[str, int], found: dict[str, str], items: dict,
              details: dict[int, WorkDetail]) -> None:
        now = datetime.now()
        with self.catalog.write() as session:
            links = AbsLinkRepository(session)
            linked = []
            for folder, work_id in waiting.items():
                item = items.get(found.get(folder, ""))
                if item is None:
                    self._failed(report, work_id, details.get(work_id),
                                 f"{self.config.name} took the files ({folder}) but did not list them within "
                                 f"{self.wait:.0f} s{'' if self.scanned else NOT_SCANNED}; a pull links the "
                                 "book once it does.")
                    continue
                links.save(self.config.name, link_values(item, work_id, MATCHED_BY, False, None), now=now)
                report.sent.append({"work_id": work_id, "item_id": item.item_id})
                linked.append(work_id)
            links.refresh_on_server(linked)

    @staticmethod
    def _failed(report: SendReport, work_id: int, detail: WorkDetail | None, message: str) -> None:
        log.warning("book not sent to Audiobookshelf", extra={"work_id": work_id, "reason": message})
        report.failed.append({"work_id": work_id, "title": detail.title if detail else "", "error": message,
                              "ref": report.correlation_id})
