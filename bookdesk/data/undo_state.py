"""Whether a job has anything left to undo: what Activity's Undo This Job is enabled from.

A job can be undone while it left something an undo reverts: a field change not undone, a removal, merge
or split not undone, the import records of books it added (an import's undo forgets them), or a field it
pushed to an Audiobookshelf server (``abs_pushes``) not undone. It was undone when what it left is all undone."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bookdesk.data.abs_models import AbsPush
from bookdesk.data.models import FieldChange, ImportSource, Removal

UndoState = Literal["undoable", "undone", "nothing"]  # "nothing": it changed nothing an undo reverts


def undo_state(session: Session, correlation_id: str) -> UndoState:
    def count(model, *where) -> int:  # noqa: ANN001, ANN002 - a model and its conditions
        return session.execute(select(func.count()).select_from(model)
                               .where(model.correlation_id == correlation_id, *where)).scalar() or 0

    if count(FieldChange, FieldChange.undone.is_(False)) or count(Removal, Removal.undone_at.is_(None)) \
            or count(ImportSource) or count(AbsPush, AbsPush.undone_at.is_(None)):
        return "undoable"
    if count(FieldChange) or count(Removal) or count(AbsPush):
        return "undone"
    return "nothing"
