"""The review queue: identifications waiting for a person."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bookdesk.data.models import ReviewItem, Work
from bookdesk.data.work_repository import now


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    id: int
    work_id: int
    work_title: str
    correlation_id: str
    state: str
    reason: str
    candidates: list[dict]  # best first, as the identify service stored them
    created_at: datetime


class ReviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, work_id: int, correlation_id: str, reason: str, candidates: list[dict]) -> int:
        """Queue a decision; an older pending one for the same book is replaced."""
        self.session.execute(update(ReviewItem).where(ReviewItem.work_id == work_id, ReviewItem.state == "pending")
                             .values(state="replaced", decided_at=now()))
        item = ReviewItem(work_id=work_id, correlation_id=correlation_id, state="pending", reason=reason,
                          candidates_json=json.dumps(candidates, ensure_ascii=False), created_at=now())
        self.session.add(item)
        self.session.flush()
        return item.id

    def pending(self, work_ids: list[int] | None = None) -> list[ReviewRecord]:
        query = (select(ReviewItem, Work.title).join(Work, Work.id == ReviewItem.work_id)
                 .where(ReviewItem.state == "pending").order_by(ReviewItem.id))
        if work_ids is not None:
            query = query.where(ReviewItem.work_id.in_(work_ids))
        return [_record(item, title) for item, title in self.session.execute(query)]

    def get(self, item_id: int) -> ReviewRecord | None:
        row = self.session.execute(select(ReviewItem, Work.title).join(Work, Work.id == ReviewItem.work_id)
                                   .where(ReviewItem.id == item_id)).first()
        return _record(*row) if row else None

    def decide(self, item_id: int, state: str) -> None:
        if state not in ("applied", "skipped"):
            raise ValueError(f"not a decision: {state}")
        self.session.execute(update(ReviewItem).where(ReviewItem.id == item_id)
                             .values(state=state, decided_at=now()))

    def count_pending(self) -> int:
        return len(self.session.execute(select(ReviewItem.id).where(ReviewItem.state == "pending")).all())


def _record(item: ReviewItem, title: str) -> ReviewRecord:
    return ReviewRecord(item.id, item.work_id, title, item.correlation_id, item.state, item.reason,
                        json.loads(item.candidates_json), item.created_at)
