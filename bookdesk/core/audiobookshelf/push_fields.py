"""The fields a push sends to an Audiobookshelf item, in three forms: the item's metadata as a pull keeps
it (``AbsItem.snapshot``: what is compared), the BookDesk fields whose corrections they carry (what a
FieldChange names, and what review proposes), and the body of ``PATCH /api/items/:id/media`` (what
``Book.updateFromRequest``, ``updateSeriesFromRequest`` and ``updateAuthorsFromRequest`` read)."""

from __future__ import annotations

from collections.abc import Mapping

from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.work_fields import field_value
from bookdesk.errors import UsageError

# What a server syncs unless its settings say otherwise (``sync_fields``): every field both sides hold.
SYNC_FIELDS = ("title", "subtitle", "authors", "narrators", "series", "description", "genres", "asin", "isbn",
               "year", "language", "publisher")
# The BookDesk fields whose FieldChanges are corrections of each (the edit dialog changes "people").
BOOKDESK_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",), "subtitle": ("subtitle",), "authors": ("authors", "people"),
    "narrators": ("narrators", "people"), "series": ("series",), "description": ("description",),
    "genres": ("tags",), "asin": ("identifiers",), "isbn": ("identifiers",), "year": ("first_published",),
    "language": ("language",), "publisher": ("publisher",)}
_TEXT = ("title", "subtitle", "description", "language", "publisher", "asin", "isbn")


def sync_fields(value: object, server: str) -> tuple[str, ...]:
    """A server's ``sync_fields`` setting, checked: the default when it is not given."""
    if value is None:
        return SYNC_FIELDS
    chosen = tuple(str(v).strip() for v in value) if isinstance(value, list | tuple) else ()  # type: ignore[union-attr]
    wrong = [name for name in chosen if name not in SYNC_FIELDS]
    if wrong or not isinstance(value, list | tuple):
        raise UsageError(f"Audiobookshelf server {server}: {wrong[0] if wrong else value!r} is not a field to "
                         f"sync; they are {', '.join(SYNC_FIELDS)}.")
    return tuple(dict.fromkeys(chosen))


def ours(detail: WorkDetail) -> dict[str, object]:
    """BookDesk's values of the book, as a pull keeps the item's."""
    published = detail.first_published or ""
    return {"title": detail.title, "subtitle": detail.subtitle or None, "authors": list(detail.authors),
            "narrators": field_value(detail, "narrators"),
            "series": [[s.name, s.label or ""] for s in detail.series], "description": detail.description or None,
            "genres": list(detail.tags), "asin": detail.identifiers.get("asin"),
            "isbn": detail.identifiers.get("isbn"), "year": published[:4] if published[:4].isdigit() else None,
            "language": detail.language or None, "publisher": detail.publisher or None}


def same(field: str, one: object, other: object) -> bool:
    """Whether two values of ``field`` say the same: no value is no value, and genres have no order."""
    one, other = one or None, other or None
    if field == "genres" and one and other:
        return sorted(one) == sorted(other)  # type: ignore[arg-type]
    if field == "series" and one and other:
        return [list(s) for s in one] == [list(s) for s in other]  # type: ignore[union-attr]
    return one == other


def payload(values: Mapping[str, object]) -> dict:
    """The body of ``PATCH /api/items/:id/media`` that sets ``values`` (fields as a pull keeps them)."""
    metadata: dict[str, object] = {}
    for name, value in values.items():
        if name in _TEXT:
            metadata[name] = value or None
        elif name == "year":
            metadata["publishedYear"] = value or None
        elif name in ("narrators", "genres"):
            metadata[name] = list(value or [])  # type: ignore[call-overload]
        elif name == "authors":
            metadata["authors"] = [{"name": author} for author in value or []]  # type: ignore[union-attr]
        elif name == "series":
            metadata["series"] = [{"name": s[0], "sequence": s[1] or None} for s in value or []]  # type: ignore[union-attr]
    return {"metadata": metadata}


def as_bookdesk(detail: WorkDetail, field: str, value: object) -> tuple[str, object]:
    """The server's value of ``field`` as the BookDesk field review proposes it for."""
    if field in ("title", "subtitle", "description", "language", "publisher", "authors", "narrators"):
        return field, value
    if field == "series":
        return "series", [{"name": s[0], "label": s[1]} for s in value or []]  # type: ignore[union-attr]
    if field == "genres":
        return "tags", sorted(value or [])  # type: ignore[type-var]
    if field == "year":
        return "first_published", value
    identifiers = {k: v for k, v in detail.identifiers.items() if k != field}
    return "identifiers", {**identifiers, field: value} if value else identifiers
