"""Push: corrections made in BookDesk (identify, review, edits) to the Audiobookshelf items their books are
linked to, field by field, for the fields each server syncs (``sync_fields``).

A field goes out when BookDesk changed it since the item was linked or the field last pushed (a
FieldChange of any source but the pull's own) and BookDesk's value differs from the server's as last
pulled or pushed. Each item is read again first: when the server changed that same field its own way
since the push base (the item's ``updatedAt`` moved and the value differs, or a pull in between saw it
change: ``CHANGED`` in the link's metadata), the field goes to review with the server's value as the
proposal and is not sent; the other fields still go. Each field sent is kept in ``abs_pushes`` with the
server's old value, so that undoing the push's Ref puts it back there (``push_undo.py``). BookDesk's own
fields are not changed by a push.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

import httpx

from bookdesk.core.audiobookshelf.client import AbsClient, AbsError, api_key
from bookdesk.core.audiobookshelf.config import AbsServerConfig
from bookdesk.core.audiobookshelf.items import AbsItem, parse_item
from bookdesk.core.audiobookshelf.pull import SOURCE
from bookdesk.core.audiobookshelf.push_fields import BOOKDESK_FIELDS, as_bookdesk, ours, payload, same
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.secrets import SecretStore
from bookdesk.data.abs_link_repository import CHANGED
from bookdesk.data.abs_push_repository import AbsPushRepository, PushBase
from bookdesk.data.catalog import Catalog
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.review_repository import ReviewRepository
from bookdesk.data.work_fields import field_value
from bookdesk.data.work_repository import WorkRepository, now

CONFLICT = "changed on the Audiobookshelf server and in BookDesk since the last pull"


@dataclass
class PushReport:
    correlation_id: str
    dry_run: bool = False
    pushed: list[dict] = field(default_factory=list)  # {"work_id", "item_id", "fields"}: sent (or would be)
    # {"work_id", "item_id", "field", "from", "to"}: each value sent (or that would be), so a dry run can be judged
    changes: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)  # {"work_id", "item_id", "fields"}: gone to review
    servers: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)  # {"server", "error"}

    def to_json(self) -> dict:
        return {"correlation_id": self.correlation_id, "dry_run": self.dry_run, "pushed": self.pushed,
                "changes": self.changes, "conflicts": self.conflicts, "servers": self.servers, "failed": self.failed}

    def summary(self) -> str:
        fields = sum(len(p["fields"]) for p in self.pushed)
        said = (f"{'would push' if self.dry_run else 'pushed'} {fields} field{'s' if fields != 1 else ''} of "
                f"{len(self.pushed)} item{'s' if len(self.pushed) != 1 else ''} to "
                f"{', '.join(self.servers) or 'no server'}")
        if self.conflicts:
            said += f"; {len(self.conflicts)} changed on the server too, in review"
        if self.failed:
            said += "; not pushed: " + " ".join(failure["error"] for failure in self.failed)
        return said


@dataclass(frozen=True)
class _Plan:
    base: PushBase
    detail: WorkDetail
    fields: dict[str, object]  # BookDesk's values of the fields corrected here, as a pull keeps the item's


class AbsPush:
    """``transport`` is for tests; ``limiter`` the run's one rate limiter."""

    def __init__(self, catalog: Catalog, servers: list[AbsServerConfig], secrets: SecretStore, *,
                 dry_run: bool = False, limiter: RateLimiter | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.catalog = catalog
        self.servers = servers
        self.secrets = secrets
        self.dry_run = dry_run
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.transport = transport
        self.requests = 0  # sent on the wire, for the figures of bench/abs.py

    async def run(self, ctx) -> PushReport:  # noqa: ANN001 - a JobContext
        report = PushReport(ctx.correlation_id, self.dry_run)
        refused: list[AbsError] = []
        for number, config in enumerate(self.servers):
            ctx.check_cancelled()
            ctx.report(number / max(1, len(self.servers)), f"Pushing to {config.name}")
            try:
                await self._push(config, report, ctx.correlation_id)
            except AbsError as exc:  # one server down holds back none of the others
                refused.append(exc)
                report.failed.append({"server": config.name, "error": exc.message})
                continue
            report.servers.append(config.name)
        if refused and not report.servers:
            raise refused[0]
        ctx.summary = report.summary()
        return report

    def plans(self, config: AbsServerConfig) -> list[_Plan]:
        """The linked books of ``config`` with corrections to send."""
        with self.catalog.read() as session:
            repo = AbsPushRepository(session)
            bases = repo.bases(config.name)
            ids = [base.work_id for base in bases]
            corrected = repo.corrected(ids, SOURCE)
            sent = repo.last_sent(config.name)
            held = repo.waiting_review(ids, CONFLICT)  # a person decides first
            skipped = repo.skipped(ids, CONFLICT)
            details = {d.id: d for d in WorkRepository(session).details(ids)}
        found = []
        for base in bases:
            detail = details.get(base.work_id)
            if detail is None or base.work_id in held or base.work_id not in corrected:
                continue
            values = ours(detail)
            linked = base.linked_at.astimezone(UTC).replace(tzinfo=None)  # kept in local time by the pull
            fields = {}
            for name in config.sync_fields:
                since = max(linked, sent.get((base.item_id, name), linked),
                            *(skipped.get(base.work_id, {}).get(bd, linked) for bd in BOOKDESK_FIELDS[name]))
                changed = [corrected[base.work_id].get(bd) for bd in BOOKDESK_FIELDS[name]]
                if any(when is not None and when > since for when in changed) and \
                        not same(name, values[name], base.metadata.get(name)):
                    fields[name] = values[name]
            if fields:
                found.append(_Plan(base, detail, fields))
        return found

    async def _push(self, config: AbsServerConfig, report: PushReport, cid: str) -> None:
        plans = self.plans(config)
        if not plans:
            return
        client = AbsClient(config, api_key(config, self.secrets), limiter=self.limiter, transport=self.transport,
                           secrets=self.secrets)
        try:
            found = {item.item_id: item for item in map(parse_item, await client.items(
                [plan.base.item_id for plan in plans])) if item is not None}
            for plan in plans:
                item = found.get(plan.base.item_id)
                if item is not None:  # an item gone since: the next pull removes its link
                    await self._push_item(client, config, plan, item, report, cid)
        finally:
            self.requests += client.requests
            await client.aclose()

    async def _push_item(self, client: AbsClient, config: AbsServerConfig, plan: _Plan, item: AbsItem,
                         report: PushReport, cid: str) -> None:
        current = item.snapshot()
        moved = item.updated_at != plan.base.item_updated_at
        seen = set(plan.base.metadata.get(CHANGED, ()))  # changed on the server, as a pull since the base saw
        send, clash = {}, []
        for name, value in plan.fields.items():
            if same(name, value, current.get(name)):
                continue
            if name in seen or (moved and not same(name, current.get(name), plan.base.metadata.get(name))):
                clash.append(name)
            else:
                send[name] = value
        said = {"work_id": plan.base.work_id, "item_id": item.item_id}
        if clash:
            report.conflicts.append({**said, "fields": sorted(clash)})
        if send:
            report.pushed.append({**said, "fields": sorted(send)})
            report.changes += [{**said, "field": name, "from": current.get(name), "to": send[name]}
                               for name in sorted(send)]
        if self.dry_run:
            return
        after = item
        if send:
            answer = await client.update_media(item.item_id, payload(send))
            after = parse_item(answer.get("libraryItem") or {}) or item
        with self.catalog.write() as session:
            repo = AbsPushRepository(session)
            at = now()
            for name, value in send.items():
                repo.record(cid, config.name, item.item_id, plan.base.work_id, name, current.get(name), value, now=at)
            repo.set_base(config.name, item.item_id, after.snapshot(), after.updated_at)
            if clash:
                ReviewRepository(session).add(plan.base.work_id, cid, CONFLICT,
                                              [_candidate(plan.detail, item, current, clash)])


def _candidate(detail: WorkDetail, item: AbsItem, current: dict, clash: list[str]) -> dict:
    """The server's side of the fields both changed, as the review queue keeps a candidate (identify/proposal.py)."""
    proposals = []
    for name in clash:
        bookdesk, theirs = as_bookdesk(detail, name, current.get(name))
        # Taken by a person in review: "user", as a field edited by hand is locked against any other source.
        proposals.append({"field": bookdesk, "current": field_value(detail, bookdesk), "proposed": theirs,
                          "source": "user"})
    return {"providers": [SOURCE], "title": item.title, "authors": list(item.authors), "score": 1.0,
            "explain": CONFLICT, "parts": [], "penalties": [], "cover_url": None, "released": None, "url": None,
            "proposals": proposals}
