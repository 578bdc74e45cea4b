"""Pull: read what Audiobookshelf servers hold and link each item to a BookDesk work.

A server's items are all read before anything is written: a wrong key, a server down or restarting
halfway, or an endpoint the server lacks fails that server's pull with nothing written, so no link is
ever removed because items only seemed missing. An item the server marks missing (its disk gone for a
while) keeps its link and makes none. Items already linked and unchanged since the last pull (their
``updatedAt``) are listed, not read again, so a pull of an unchanged library costs a request per page.

Works made for items no local book is are owned and have no file: the Library, the series gaps and the
Authors count them. A wanted book an item links to is owned from then on, and wants that kind no more.
Such a work follows the server's metadata on later pulls; a linked local book does not (BookDesk's
metadata is the one a push will send). When its item is deleted, no other server holds it and no file of
it came here meanwhile, such a work is nowhere: it leaves the catalog under the pull's Ref, as a removal
``bookdesk undo`` brings back, and the pull's summary says so. "Finished" on the server marks the book
finished, once, as a FieldChange under the pull's Ref that ``bookdesk undo`` reverts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

import httpx

from bookdesk.core.acquisition.wanted_link import settle
from bookdesk.core.audiobookshelf.client import AbsClient, AbsError, AbsLibrary, api_key, chosen_libraries
from bookdesk.core.audiobookshelf.config import AbsServerConfig
from bookdesk.core.audiobookshelf.items import AbsItem, finished, parse_item
from bookdesk.core.audiobookshelf.linking import Linker
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.removal.remove_books import remove_books
from bookdesk.core.secrets import SecretStore
from bookdesk.data.abs_link_repository import AbsLinkRepository, LinkRecord, LinkValues
from bookdesk.data.catalog import Catalog
from bookdesk.data.work_repository import WorkRepository

SOURCE = "audiobookshelf"  # the source of the FieldChanges a pull makes, as History shows it
# What a work on the server only takes from the server again when its item changed.
FOLLOWED = ("title", "subtitle", "description", "language", "publisher", "first_published", "authors",
            "narrators")


@dataclass
class PullReport:
    correlation_id: str
    items: int = 0  # items the servers hold
    linked: int = 0  # linked to a book of the library this time
    new: int = 0  # made into works on the server only
    updated: int = 0  # changed on the server since the last pull
    removed: int = 0  # links of items the servers no longer have
    gone: int = 0  # books made for such items that are on no server and have no file here: taken out
    servers: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)  # {"server", "error"}: not pulled, the others were
    changed: list[int] = field(default_factory=list)  # linked, unlinked, changed or taken out: views refresh
    added: list[int] = field(default_factory=list)  # the works made for items: the Library reads again

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("changed", "added")}

    def summary(self) -> str:
        said = (f"{self.items} item{'s' if self.items != 1 else ''} on {', '.join(self.servers) or 'no server'}: "
                f"{self.linked} linked, {self.new} new, {self.updated} updated, {self.removed} removed")
        if self.gone:
            said += f"; {self.gone} book{'s' if self.gone != 1 else ''} on no server and with no file here taken out"
        if self.failed:
            said += "; not pulled: " + " ".join(failure["error"] for failure in self.failed)
        return said


@dataclass
class _Listing:
    """One server's items as listed and read, before anything is written."""

    config: AbsServerConfig
    libraries: list[AbsLibrary]
    listed: dict[str, tuple[str, int | None, bool]]  # item id -> (library id, updatedAt, missing)
    full: dict[str, AbsItem]
    progress: dict[str, dict]


class AbsPull:
    """``transport`` is for tests; ``limiter`` the run's one rate limiter."""

    def __init__(self, catalog: Catalog, servers: list[AbsServerConfig], secrets: SecretStore, *,
                 limiter: RateLimiter | None = None, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.catalog = catalog
        self.servers = servers
        self.secrets = secrets
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.transport = transport
        self.requests = 0

    async def run(self, ctx) -> PullReport:  # noqa: ANN001 - a JobContext
        report = PullReport(ctx.correlation_id)
        refused: list[AbsError] = []
        for number, config in enumerate(self.servers):
            ctx.check_cancelled()
            ctx.report(number / max(1, len(self.servers)), f"Reading {config.name}")
            try:
                listing = await self._read(config)
            except AbsError as exc:  # one server without its key, or down, holds back none of the others
                refused.append(exc)
                report.failed.append({"server": config.name, "error": exc.message})
                continue
            ctx.check_cancelled()
            stranded = self._write(listing, report, ctx.correlation_id)
            if stranded:
                taken = remove_books(self.catalog, stranded, keep_files=True, correlation_id=ctx.correlation_id).works
                report.gone += len(taken)
                report.changed += [work_id for work_id in taken if work_id not in report.changed]  # views drop them
            report.servers.append(config.name)
        if refused and not report.servers:
            raise refused[0]  # nothing was pulled: the pull failed, saying why
        ctx.summary = report.summary()
        return report

    async def _read(self, config: AbsServerConfig) -> _Listing:
        client = AbsClient(config, api_key(config, self.secrets), limiter=self.limiter, transport=self.transport,
                           secrets=self.secrets)
        try:
            libraries = chosen_libraries(config, await client.libraries())
            listed: dict[str, tuple[str, int | None, bool]] = {}
            for library in libraries:
                async for page in client.item_pages(library.id):
                    for raw in page:
                        updated = raw.get("updatedAt")
                        listed[str(raw.get("id"))] = (library.id, updated if isinstance(updated, int) else None,
                                                      bool(raw.get("isMissing")))
            with self.catalog.read() as session:
                known = AbsLinkRepository(session).links(config.name)
            wanted = [item_id for item_id, (_, updated, missing) in listed.items()
                      if not missing and (item_id not in known or known[item_id].item_updated_at != updated)]
            full = {item.item_id: item for item in map(parse_item, await client.items(wanted)) if item is not None}
            progress = await client.progress()
        finally:
            self.requests += client.requests
            await client.aclose()
        return _Listing(config, libraries, listed, full, progress)

    def _write(self, listing: _Listing, report: PullReport, cid: str) -> list[int]:
        """Returns the books this pull made whose items are gone and that are nowhere now: they leave
        the catalog under the pull's Ref (``bookdesk undo`` brings them back)."""
        config = listing.config
        now = datetime.now()
        with self.catalog.write() as session:
            linker = Linker(session, self.catalog.folder, config)
            works = WorkRepository(session)
            known = linker.links.links(config.name)
            touched: set[int] = set()
            for item_id, (_, _, missing) in listing.listed.items():
                if missing:
                    continue  # its disk may be back tomorrow: the link stays, and none is made
                done, progress = finished(listing.progress, item_id)
                link = known.get(item_id)
                item = listing.full.get(item_id)
                if item is None and link is None:
                    continue  # gone between the listing and the reading; the next pull sees
                if item is None:
                    linker.links.touch(config.name, item_id, finished=done, progress=progress, now=now)
                    work_id = link.work_id
                else:
                    work_id, how = self._link(linker, works, item, link, report, cid, now)
                    linker.links.save(config.name, link_values(item, work_id, how, done, progress), now=now)
                    touched.add(work_id)
                if done and (link is None or not link.finished) and works.set_field(
                        work_id, "read_state", "finished", source=SOURCE, correlation_id=cid):
                    touched.add(work_id)
            pulled = {library.id for library in listing.libraries}
            gone = [item_id for item_id, link in known.items()
                    if link.library_id in pulled and item_id not in listing.listed]
            touched.update(linker.links.remove(config.name, gone))
            linker.links.refresh_on_server(touched)
            # Only a book a pull made: one that was here before its link stays as the person had it.
            stranded = linker.links.stranded(known[item_id].work_id for item_id in gone
                                             if known[item_id].matched_by == "new")
        report.items += len(listing.listed)
        report.changed.extend(sorted(touched - set(report.changed)))
        report.removed += len(gone)
        return stranded

    def _link(self, linker: Linker, works: WorkRepository, item: AbsItem, link: LinkRecord | None,
              report: PullReport, cid: str, now: datetime) -> tuple[int, str]:
        """The work ``item`` is, and how it was found."""
        if link is not None:
            report.updated += 1
            if link.matched_by == "new":
                _follow(works, link.work_id, item, cid)
            return link.work_id, link.matched_by
        work_id, how = linker.work_for(item)
        if work_id is None:
            report.new += 1
            work_id = linker.add_work(item, now=now)
            report.added.append(work_id)
            return work_id, how
        report.linked += 1
        settle(works.session, work_id, item.kinds())  # a wanted book the server holds is wanted no more
        return work_id, how


def link_values(item: AbsItem, work_id: int, how: str, done: bool, progress: float | None) -> LinkValues:
    """What a link keeps of ``item`` for ``work_id``: the pull's links and those a send makes."""
    return LinkValues(item.library_id, item.item_id, work_id, how, item.has_audio, item.has_ebook, item.path,
                      item.updated_at, item.snapshot(), done, progress, item.duration_seconds)


def _follow(works: WorkRepository, work_id: int, item: AbsItem, cid: str) -> None:
    """A work on the server only takes the server's metadata again when its item changed."""
    values = {"title": item.title, "subtitle": item.subtitle, "description": item.description,
              "language": item.language, "publisher": item.publisher, "first_published": item.year,
              "authors": list(item.authors), "narrators": list(item.narrators)}
    for name in FOLLOWED:
        works.set_field(work_id, name, values[name], source=SOURCE, correlation_id=cid)
