"""Undoing a push: the server's values from before it go back to its items (``abs_pushes`` keeps them). A
field the server changed again since the push is left as the server has it now, and said so: the undo
puts back what the push did, never what someone did after it. BookDesk's own fields stay as they are."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

from bookdesk.core.audiobookshelf.client import AbsClient, AbsError, api_key
from bookdesk.core.audiobookshelf.config import AbsServerConfig
from bookdesk.core.audiobookshelf.items import parse_item
from bookdesk.core.audiobookshelf.push_fields import payload, same
from bookdesk.core.library_service import JobUndo, LibraryService
from bookdesk.core.secrets import SecretStore
from bookdesk.data.abs_push_repository import AbsPushRepository, PushedField
from bookdesk.data.catalog import Catalog
from bookdesk.data.work_repository import now
from bookdesk.errors import NotFoundError


@dataclass
class PushUndo:
    correlation_id: str
    fields: int = 0  # fields set back on the servers
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        said = f"{self.fields} field{'s' if self.fields != 1 else ''} set back on Audiobookshelf"
        if self.fields:  # else the scheduled sync would seem bound to send them again, undoing the undo
            said += " (BookDesk keeps its own values and sends one again only once you edit it)"
        return said + (f"; {len(self.problems)} not" if self.problems else "")


@dataclass(frozen=True)
class RefUndo:
    """The undo of a Ref that pushed: the servers' side, and what the same Ref set here ("Sync with
    Audiobookshelf" pulls under it too). Read as a JobUndo is (Activity, Ctrl+Z, ``bookdesk undo``)."""

    pushed: PushUndo
    here: JobUndo | None

    @property
    def work_ids(self) -> tuple[int, ...]:
        return self.here.work_ids if self.here is not None else ()

    @property
    def changes_undone(self) -> int:
        return self.here.changes_undone if self.here is not None else 0

    @property
    def problems(self) -> list[str]:
        return self.pushed.problems + (self.here.problems if self.here is not None else [])

    def summary(self) -> str:
        here = self.here.summary() if self.here is not None else ""
        return self.pushed.summary() + (f"; {here}" if here else "")


async def undo_ref(ctx, service: LibraryService, servers: list[AbsServerConfig], secrets: SecretStore,  # noqa: ANN001
                   correlation_id: str) -> JobUndo | RefUndo:
    """The body of an "undo" job (a JobContext ``ctx``): a Ref that pushed to a server is undone there and
    here; any other as ``LibraryService.undo_job_as_job`` does."""
    if not await asyncio.to_thread(is_push, service.catalog, correlation_id):
        return await service.undo_job_as_job(ctx, correlation_id)
    if not await asyncio.to_thread(_left_to_undo, service.catalog, correlation_id):
        raise NotFoundError(f"{correlation_id} was undone already: the servers have their values back, so there "
                            "is nothing left of it to undo.")
    pushed = await undo_push(service.catalog, servers, secrets, correlation_id)
    try:
        here = await asyncio.to_thread(service.undo_job, correlation_id)
    except NotFoundError:  # a push alone changes nothing here
        here = None
    undone = RefUndo(pushed, here)
    ctx.summary = undone.summary()
    return undone


def is_push(catalog: Catalog, correlation_id: str) -> bool:
    with catalog.read() as session:
        return AbsPushRepository(session).has_pushes(correlation_id)


def _left_to_undo(catalog: Catalog, correlation_id: str) -> bool:
    with catalog.read() as session:
        return bool(AbsPushRepository(session).pushed(correlation_id))


async def undo_push(catalog: Catalog, servers: list[AbsServerConfig], secrets: SecretStore, correlation_id: str,
                    *, transport: httpx.AsyncBaseTransport | None = None) -> PushUndo:
    with catalog.read() as session:
        pushed = AbsPushRepository(session).pushed(correlation_id)
    undo = PushUndo(correlation_id)
    by_server: dict[str, dict[str, list[PushedField]]] = defaultdict(lambda: defaultdict(list))
    for row in pushed:
        by_server[row.server][row.item_id].append(row)
    configs = {config.name: config for config in servers}
    for name, items in by_server.items():
        config = configs.get(name)
        if config is None:
            undo.problems.append(f"Audiobookshelf server {name} is no longer in the settings; its items keep "
                                 "what the push sent.")
            continue
        try:
            await _undo_server(catalog, config, secrets, items, undo, transport)
        except AbsError as exc:
            undo.problems.append(exc.message)
    return undo


async def _undo_server(catalog: Catalog, config: AbsServerConfig, secrets: SecretStore,
                       items: dict[str, list[PushedField]], undo: PushUndo,
                       transport: httpx.AsyncBaseTransport | None) -> None:
    client = AbsClient(config, api_key(config, secrets), transport=transport, secrets=secrets)
    try:
        found = {item.item_id: item for item in map(parse_item, await client.items(list(items))) if item}
        for item_id, rows in items.items():
            item = found.get(item_id)
            if item is None:
                undo.problems.append(f"The item of {config.name} a push changed is gone from the server.")
                continue
            current = item.snapshot()
            back = {r.field: r.old_value for r in rows if same(r.field, current.get(r.field), r.new_value)}
            for row in rows:
                if row.field not in back:
                    undo.problems.append(f"{row.field} of {item.title!r} on {config.name} changed again since the "
                                         "push; it is left as the server has it.")
            after = parse_item((await client.update_media(item_id, payload(back))).get("libraryItem") or {}) \
                if back else None
            with catalog.write() as session:
                repo = AbsPushRepository(session)
                repo.mark_undone([row.id for row in rows], now=now())
                if after is not None:
                    repo.set_base(config.name, item_id, after.snapshot(), after.updated_at)
            undo.fields += len(back)
    finally:
        await client.aclose()
