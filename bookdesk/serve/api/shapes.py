"""The JSON the API answers with, made of the plain records the catalog and core hand out."""

from __future__ import annotations

from bookdesk.core.series.summaries import AuthorOverview, KindFigures, SeriesOverview, WantedBook
from bookdesk.data.api_queries import JobState
from bookdesk.data.catalog_rows import WorkDetail

API = "/api/v1"


def book_json(book: WorkDetail) -> dict:
    return {
        "id": book.id,
        "title": book.title,
        "subtitle": book.subtitle,
        "authors": book.authors,
        "series": [{"name": s.name, "position": s.label} for s in book.series],
        "identifiers": book.identifiers,
        "language": book.language,
        "publisher": book.publisher,
        "first_published": book.first_published,
        "description": book.description,
        "tags": list(book.tags),
        "status": book.status,
        "read_state": book.read_state,
        "rating": book.rating,
        "added": book.added_at.isoformat() if book.added_at else None,
        "cover": f"{API}/books/{book.id}/cover" if book.cover_path else None,
        "files": [{"id": f.id, "format": f.format, "size": f.size, "href": f"{API}/books/{book.id}/files/{f.id}"}
                  for f in book.files],
    }


def _figures(kinds: dict[str, KindFigures]) -> dict:
    return {name: {"owned": f.owned, "missing": f.missing, "completion": f.completion, "status": f.status}
            for name, f in kinds.items()}


def series_json(row: SeriesOverview) -> dict:
    return {"id": row.id, "name": row.name, "authors": row.authors, "monitored": row.monitored,
            "ignored": row.ignored, "total": row.total, "sources": list(row.sources), "flagged": row.flagged,
            "books": _figures({"any": row.overall, "ebook": row.ebook, "audiobook": row.audiobook}),
            "href": f"{API}/series/{row.id}"}


def author_json(person: AuthorOverview) -> dict:
    return {"id": person.id, "name": person.name, "sort_name": person.sort_name, "aliases": list(person.aliases),
            "monitored": person.monitored, "series": person.series, "wanted": person.wanted,
            "books": _figures({"any": person.overall, "ebook": person.ebook, "audiobook": person.audiobook})}


def wanted_json(book: WantedBook) -> dict:
    return {"id": book.id, "title": book.title, "authors": book.authors,
            "series": [{"name": name, "position": label} for name, label in book.series],
            "media_kinds": list(book.media_kinds), "status": book.status,
            "release_date": book.release_date.isoformat() if book.release_date else None}


def job_json(job: JobState) -> dict:
    return {"ref": job.correlation_id, "kind": job.kind, "title": job.title, "state": job.state,
            "progress": job.progress, "message": job.message, "summary": job.summary, "error": job.error,
            "created": job.created_at, "started": job.started_at, "finished": job.finished_at,
            "href": f"{API}/jobs/{job.correlation_id}"}
