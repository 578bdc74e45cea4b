"""Which media kinds a work has, in SQL: a file of that kind here, or an Audiobookshelf server holding it
(issue 17: an audiobook on the server and none here is an owned audiobook all the same, for the series
gaps and the Authors view). Both read indexes only (``ix_files_work_kind``, ``ix_abs_links_work``)."""

from __future__ import annotations

_FLAGS = {"ebook": "has_ebook", "audiobook": "has_audio"}


def has_kind(work: str, kind: str) -> str:
    """An SQL expression, 1 when the work whose id is the column ``work`` has ``kind``, else 0."""
    return (f"(EXISTS (SELECT 1 FROM files f WHERE f.work_id = {work} AND f.media_kind = '{kind}')"
            f" OR EXISTS (SELECT 1 FROM abs_links l WHERE l.work_id = {work} AND l.{_FLAGS[kind]}))")


def kinds_bits(work: str) -> str:
    """An SQL expression: bit 1 set when the work has an ebook, bit 2 when it has an audiobook."""
    return f"{has_kind(work, 'ebook')}\n       + 2 * {has_kind(work, 'audiobook')}"
