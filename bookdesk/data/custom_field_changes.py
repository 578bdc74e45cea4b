"""calibre's custom columns' values as fields with a history: a value a run of calibre changed is a
FieldChange on the field "#label" (calibre's own name for the column), and undoing it puts the value back.

A value calibre cleared stays as a row holding nothing (``CalibreRepository.custom`` leaves it out), so an
undo knows the column's name and kind to put the value back under.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bookdesk.data.calibre_models import CustomField
from bookdesk.data.models import FieldChange

MARK = "#"  # a FieldChange of a custom column: "#shelf"


def is_custom(field: str) -> bool:
    return field.startswith(MARK)


def set_custom_value(session: Session, work_id: int, name: str, label: str, kind: str, value: object, *,
                     source: str, correlation_id: str | None, when: datetime) -> FieldChange | None:
    """Give one custom column of one work ``value`` and record the change; None when it had that value."""
    row = session.execute(select(CustomField).where(CustomField.work_id == work_id, CustomField.name == name)).scalar()
    old = json.loads(row.value_json) if row is not None else None
    if old == value:
        return None
    if row is None:
        row = CustomField(work_id=work_id, name=name, label=label, kind=kind, value_json="null", source=source)
        session.add(row)
    row.value_json, row.source = json.dumps(value, ensure_ascii=False), source
    change = FieldChange(work_id=work_id, field=MARK + name, old_value=json.dumps(old, ensure_ascii=False),
                         new_value=json.dumps(value, ensure_ascii=False), source=source,
                         correlation_id=correlation_id, changed_at=when, undone=False)
    session.add(change)
    session.flush()
    return change


def undo_custom(session: Session, change: FieldChange, *, correlation_id: str | None,
                when: datetime) -> FieldChange | None:
    """Put a custom column back to its value before ``change`` (its row is kept, cleared or not)."""
    name = change.field[len(MARK):]
    row = session.execute(select(CustomField).where(CustomField.work_id == change.work_id,
                                                    CustomField.name == name)).scalar()
    label, kind = (row.label, row.kind) if row is not None else (name, "text")
    return set_custom_value(session, change.work_id, name, label, kind, json.loads(change.old_value or "null"),
                            source="undo", correlation_id=correlation_id, when=when)
