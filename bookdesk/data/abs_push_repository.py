"""What a push to an Audiobookshelf server reads and keeps: each link's base (the item's metadata as last
pulled or pushed, and its ``updatedAt``), the corrections made in BookDesk since the item was linked, and
each field a push changed on a server (``abs_pushes``) so that undoing the push's Ref puts it back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bookdesk.data.abs_models import AbsLink, AbsPush
from bookdesk.data.models import FieldChange, ReviewItem

_CHUNK = 900  # stays under SQLite's limit of bound parameters in an IN (...)


@dataclass(frozen=True, slots=True)
class PushBase:
    """One link as a push starts from it."""

    item_id: str
    work_id: int
    item_updated_at: int | None
    metadata: dict  # the server's values as last pulled or pushed
    linked_at: datetime


@dataclass(frozen=True, slots=True)
class PushedField:
    id: int
    server: str
    item_id: str
    work_id: int | None
    field: str
    old_value: object
    new_value: object


class AbsPushRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def bases(self, server: str) -> list[PushBase]:
        rows = self.session.execute(select(AbsLink).where(AbsLink.server == server).order_by(AbsLink.work_id))
        return [PushBase(r.item_id, r.work_id, r.item_updated_at, json.loads(r.metadata_json or "{}"), r.linked_at)
                for r in rows.scalars()]

    def corrected(self, work_ids: Sequence[int], skip_source: str) -> dict[int, dict[str, datetime]]:
        """The fields changed in BookDesk (not by ``skip_source``, not undone) of each work, with the time
        of the newest such change."""
        found: dict[int, dict[str, datetime]] = {}
        for start in range(0, len(work_ids), _CHUNK):
            rows = self.session.execute(
                select(FieldChange.work_id, FieldChange.field, func.max(FieldChange.changed_at))
                .where(FieldChange.work_id.in_(work_ids[start:start + _CHUNK]), FieldChange.undone.is_(False),
                       FieldChange.source != skip_source)
                .group_by(FieldChange.work_id, FieldChange.field))
            for work_id, name, when in rows:
                found.setdefault(work_id, {})[name] = when
        return found

    def last_sent(self, server: str) -> dict[tuple[str, str], datetime]:
        """When each (item, field) was last pushed, or that push undone: a correction older than that has
        been sent (or taken back from the server on purpose) and is not sent again."""
        when = func.max(func.coalesce(AbsPush.undone_at, AbsPush.pushed_at))
        rows = self.session.execute(select(AbsPush.item_id, AbsPush.field, when)
                                    .where(AbsPush.server == server).group_by(AbsPush.item_id, AbsPush.field))
        return {(item_id, name): at for item_id, name, at in rows}

    def waiting_review(self, work_ids: Iterable[int], reason: str) -> set[int]:
        """Of ``work_ids``, those with a review of ``reason`` no person has decided yet."""
        ids = sorted(set(work_ids))
        found: set[int] = set()
        for start in range(0, len(ids), _CHUNK):
            found |= set(self.session.execute(select(ReviewItem.work_id).where(
                ReviewItem.work_id.in_(ids[start:start + _CHUNK]), ReviewItem.state == "pending",
                ReviewItem.reason == reason)).scalars())
        return found

    def skipped(self, work_ids: Iterable[int], reason: str) -> dict[int, dict[str, datetime]]:
        """Of ``work_ids``, the BookDesk fields of reviews of ``reason`` a person skipped, with when: Skip is
        no choice, so a correction older than that is held back (the server keeps its value) and a field
        edited here again after it goes."""
        ids = sorted(set(work_ids))
        found: dict[int, dict[str, datetime]] = {}
        for start in range(0, len(ids), _CHUNK):
            rows = self.session.execute(select(ReviewItem).where(
                ReviewItem.work_id.in_(ids[start:start + _CHUNK]), ReviewItem.state == "skipped",
                ReviewItem.reason == reason))
            for item in rows.scalars():
                for candidate in json.loads(item.candidates_json or "[]"):
                    for proposal in candidate.get("proposals", ()):
                        fields = found.setdefault(item.work_id, {})
                        fields[proposal["field"]] = max(item.decided_at, fields.get(proposal["field"], item.decided_at))
        return found

    def set_base(self, server: str, item_id: str, metadata: dict, updated_at: int | None) -> None:
        """The item as the server has it now (after a push, or as a push found it)."""
        self.session.execute(update(AbsLink).where(AbsLink.server == server, AbsLink.item_id == item_id).values(
            metadata_json=json.dumps(metadata, ensure_ascii=False, sort_keys=True), item_updated_at=updated_at))

    def record(self, correlation_id: str, server: str, item_id: str, work_id: int, field: str, old: object,
               new: object, *, now: datetime) -> None:
        self.session.add(AbsPush(correlation_id=correlation_id, server=server, item_id=item_id, work_id=work_id,
                                 field=field, old_value=json.dumps(old, ensure_ascii=False),
                                 new_value=json.dumps(new, ensure_ascii=False), pushed_at=now))

    def pushed(self, correlation_id: str) -> list[PushedField]:
        """The fields a push changed that are not undone yet."""
        rows = self.session.execute(select(AbsPush).where(AbsPush.correlation_id == correlation_id,
                                                          AbsPush.undone_at.is_(None)).order_by(AbsPush.id))
        return [PushedField(r.id, r.server, r.item_id, r.work_id, r.field, json.loads(r.old_value or "null"),
                            json.loads(r.new_value or "null")) for r in rows.scalars()]

    def has_pushes(self, correlation_id: str) -> bool:
        return self.session.execute(select(AbsPush.id).where(AbsPush.correlation_id == correlation_id)
                                    .limit(1)).first() is not None

    def mark_undone(self, ids: Sequence[int], *, now: datetime) -> None:
        self.session.execute(update(AbsPush).where(AbsPush.id.in_(list(ids))).values(undone_at=now))
