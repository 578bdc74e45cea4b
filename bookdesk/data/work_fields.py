"""The fields of a work an edit may change: their names, their values as a change record keeps them
(JSON-able), what a value given by an edit becomes, and the record of one change."""

from __future__ import annotations

import json

from bookdesk.data.catalog_rows import FieldChangeRecord, WorkDetail
from bookdesk.data.models import FieldChange
from bookdesk.errors import UsageError

# Fields an edit may change: scalar columns, and the list-valued ones kept in other tables.
SCALAR_FIELDS = ("title", "sort_title", "subtitle", "description", "language", "publisher",
                 "first_published", "status", "rating", "read_state", "cover_path")
# "people" is everyone with their role and sort name, for the edit dialog; "authors" and "narrators"
# are the names of one role, for identification, the command line and the list's inline edits.
LIST_FIELDS = ("authors", "narrators", "people", "series", "tags", "identifiers")
ROLES = ("author", "narrator", "editor", "translator", "illustrator")  # as the readers name them
# A field whose lock also keeps identification from these: "people" holds the authors and narrators.
LOCK_COVERS = {"authors": "people", "narrators": "people"}
STATUSES = ("owned", "wanted", "ignored")
READ_STATES = ("unread", "reading", "finished")


def field_value(detail: WorkDetail, field: str) -> object:
    """A field's value in the JSON-able form that FieldChange records keep."""
    if field in SCALAR_FIELDS:
        return getattr(detail, field)
    if field == "authors":
        return detail.authors
    if field == "narrators":
        return [c.name for c in detail.contributors if c.role == "narrator"]
    if field == "people":
        return [{"name": c.name, "role": c.role, "sort_name": c.sort_name} for c in detail.contributors]
    if field == "series":
        return [{"name": s.name, "label": s.label} for s in detail.series]
    if field == "tags":
        return list(detail.tags)
    if field == "identifiers":
        return dict(detail.identifiers)
    raise UsageError(f"There is no field {field!r}; editable fields are {', '.join(SCALAR_FIELDS + LIST_FIELDS)}.")


def is_locked(field: str, locked_fields: frozenset[str]) -> bool:
    return field in locked_fields or LOCK_COVERS.get(field, "") in locked_fields


def normalised(field: str, value: object) -> object:
    if field in ("title", "sort_title"):
        text_value = " ".join(str(value or "").split())
        if not text_value:
            raise UsageError("A book needs a title.")
        return text_value
    if field == "status":
        if value not in STATUSES:
            raise UsageError(f"Status must be one of {', '.join(STATUSES)}.")
        return value
    if field == "read_state":
        if value not in READ_STATES:
            raise UsageError(f"A read state is one of {', '.join(READ_STATES)}.")
        return value
    if field == "rating":
        if value in (None, ""):
            return None
        rating = int(value)  # type: ignore[arg-type]
        if not 0 <= rating <= 10:
            raise UsageError("A rating goes from 0 to 10.")
        return rating
    if field in SCALAR_FIELDS:
        return None if value in (None, "") else str(value).strip()
    if field in ("authors", "narrators"):
        names = [" ".join(str(n).split()) for n in (value or [])]  # type: ignore[union-attr]
        return [n for n in dict.fromkeys(names) if n]
    if field == "people":
        return _people(value)
    if field == "series":
        return [{"name": str(s["name"]).strip(), "label": str(s.get("label", "")).strip()}
                for s in (value or []) if str(s["name"]).strip()]  # type: ignore[union-attr]
    if field == "tags":
        return sorted({str(t).strip() for t in (value or []) if str(t).strip()})  # type: ignore[union-attr]
    if field == "identifiers":
        return {str(k): str(v) for k, v in sorted(dict(value or {}).items()) if v}  # type: ignore[call-overload]
    raise UsageError(f"There is no field {field!r}.")


def chosen_series(value: object, series: list[dict[str, str]]) -> list[dict[str, object]]:
    """The normalised ``series`` with the ``series_id`` the given ``value`` named for a series, if any: a
    series chosen exactly (books put in one series by hand together), not looked up by name and authors.
    The id is no part of the field's value, which History records and compares by name and position."""
    ids = {str(s["name"]).strip(): s["series_id"] for s in value or [] if s.get("series_id")}  # type: ignore[union-attr]
    return [{**s, "series_id": ids[s["name"]]} if s["name"] in ids else s for s in series]


def _people(value: object) -> list[dict[str, str]]:
    """Named people with a known role, each (name, role) once; a blank sort name means "as the person
    already sorts", or by their surname for someone new."""
    people: dict[tuple[str, str], dict[str, str]] = {}
    for person in value or []:  # type: ignore[attr-defined]
        name, role = " ".join(str(person.get("name", "")).split()), str(person.get("role") or "author")
        if role not in ROLES:
            raise UsageError(f"{name or 'A person'}: the role {role!r} is not one of {', '.join(ROLES)}.")
        if name:
            people.setdefault((name, role), {"name": name, "role": role,
                                             "sort_name": " ".join(str(person.get("sort_name") or "").split())})
    return list(people.values())


def change_record(change: FieldChange) -> FieldChangeRecord:
    return FieldChangeRecord(
        id=change.id, work_id=change.work_id, field=change.field,
        old_value=json.loads(change.old_value or "null"), new_value=json.loads(change.new_value or "null"),
        source=change.source, correlation_id=change.correlation_id, changed_at=change.changed_at,
        undone=change.undone)
