"""Which Audiobookshelf item each work is (``abs_links``), and ``works.on_server`` kept in step with it:
the servers holding each book, by name, for the Library's column and filter and ``bookdesk list``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bookdesk.data.abs_models import AbsLink
from bookdesk.data.models import File, Work
from bookdesk.data.revisions import bump_series_revision

_CHUNK = 900  # stays under SQLite's limit of bound parameters in an IN (...)


@dataclass(frozen=True, slots=True)
class LinkRecord:
    id: int
    server: str
    library_id: str
    item_id: str
    work_id: int
    matched_by: str
    item_updated_at: int | None
    finished: bool


@dataclass(frozen=True, slots=True)
class LinkValues:
    """What a pull knows of one item, to be kept with its link."""

    library_id: str
    item_id: str
    work_id: int
    matched_by: str
    has_audio: bool
    has_ebook: bool
    item_path: str
    item_updated_at: int | None
    metadata: dict
    finished: bool
    progress: float | None
    duration_seconds: float | None


CHANGED = "_changed"  # in a link's metadata: the fields the server changed since a push last set it


def _with_changes(before_json: str, metadata: dict) -> str:
    """``metadata`` as pulled now, naming the fields the server changed since the push base (kept until a
    push sets the base again): a pull just before a push must not hide that the server changed a field
    BookDesk corrected too (core/audiobookshelf/push.py sends such a field to review)."""
    before = json.loads(before_json or "{}")
    changed = set(before.get(CHANGED, ())) | {name for name, value in metadata.items()
                                               if name in before and before[name] != value}
    kept = {**metadata, CHANGED: sorted(changed)} if changed else metadata
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


class AbsLinkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def links(self, server: str) -> dict[str, LinkRecord]:
        """Every link of ``server``, by item id."""
        rows = self.session.execute(select(AbsLink).where(AbsLink.server == server)).scalars()
        return {r.item_id: LinkRecord(r.id, r.server, r.library_id, r.item_id, r.work_id, r.matched_by,
                                      r.item_updated_at, r.finished) for r in rows}

    def save(self, server: str, values: LinkValues, *, now: datetime) -> None:
        """Keep ``values`` as the link of its item (made, or brought up to date)."""
        fields = {"library_id": values.library_id, "work_id": values.work_id, "matched_by": values.matched_by,
                  "has_audio": values.has_audio, "has_ebook": values.has_ebook, "item_path": values.item_path,
                  "item_updated_at": values.item_updated_at,
                  "metadata_json": json.dumps(values.metadata, ensure_ascii=False, sort_keys=True),
                  "finished": values.finished, "progress": values.progress,
                  "duration_seconds": values.duration_seconds, "pulled_at": now}
        found = self.session.execute(select(AbsLink).where(AbsLink.server == server,
                                                           AbsLink.item_id == values.item_id)).scalar_one_or_none()
        if found is None:
            self.session.add(AbsLink(server=server, item_id=values.item_id, linked_at=now, **fields))
        else:
            fields["metadata_json"] = _with_changes(found.metadata_json, values.metadata)
            for name, value in fields.items():
                setattr(found, name, value)
        self.session.flush()

    def touch(self, server: str, item_id: str, *, finished: bool, progress: float | None, now: datetime) -> None:
        """An unchanged item pulled again: only the user's progress may have moved."""
        self.session.execute(update(AbsLink).where(AbsLink.server == server, AbsLink.item_id == item_id)
                             .values(finished=finished, progress=progress, pulled_at=now))

    def remove(self, server: str, item_ids: Iterable[str]) -> list[int]:
        """Forget the links of items the server no longer has; the works they were linked to."""
        ids = list(item_ids)
        works: list[int] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            works += self.session.execute(select(AbsLink.work_id).where(
                AbsLink.server == server, AbsLink.item_id.in_(chunk))).scalars()
            self.session.execute(delete(AbsLink).where(AbsLink.server == server, AbsLink.item_id.in_(chunk)))
        return works

    def stranded(self, work_ids: Iterable[int]) -> list[int]:
        """Of ``work_ids``, the owned works no server holds and with no file here: books that are nowhere."""
        ids = sorted(set(work_ids))
        found: list[int] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            found += self.session.execute(select(Work.id).where(
                Work.id.in_(chunk), Work.status == "owned",
                ~select(File.id).where(File.work_id == Work.id).exists(),
                ~select(AbsLink.id).where(AbsLink.work_id == Work.id).exists())).scalars()
        return found

    def work_with_file(self, paths: Sequence[str]) -> int | None:
        """The work holding a file at one of ``paths`` (relative to the library folder), if any."""
        for start in range(0, len(paths), _CHUNK):
            found = self.session.execute(select(File.work_id).where(File.path.in_(paths[start:start + _CHUNK]))
                                         .limit(1)).scalar_one_or_none()
            if found is not None:
                return found
        return None

    def servers_of(self, work_ids: Sequence[int]) -> dict[int, list[str]]:
        """The servers holding each of ``work_ids`` (works on none are left out)."""
        found: dict[int, set[str]] = {}
        for start in range(0, len(work_ids), _CHUNK):
            rows = self.session.execute(select(AbsLink.work_id, AbsLink.server)
                                        .where(AbsLink.work_id.in_(work_ids[start:start + _CHUNK])))
            for work_id, server in rows:
                found.setdefault(work_id, set()).add(server)
        return {work_id: sorted(servers) for work_id, servers in found.items()}

    def refresh_on_server(self, work_ids: Iterable[int]) -> None:
        """``works.on_server`` of ``work_ids`` from their links, as the Library's column shows it; the
        series gaps and Authors read again."""
        ids = sorted(set(work_ids))
        if not ids:
            return
        bump_series_revision(self.session)  # the kinds these works have may have changed: gaps read them
        held = self.servers_of(ids)
        for work_id in ids:
            self.session.execute(update(Work).where(Work.id == work_id)
                                 .values(on_server=", ".join(held.get(work_id, []))))
