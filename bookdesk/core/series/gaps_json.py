"""A series' gaps as ``bookdesk gaps --json`` gives them: one JSON object per series.

In core, not in the command: the answers kept in the catalog (kept_answers.py) carry each series'
object ready made, so that the command can print them without working anything out.
"""

from __future__ import annotations

import json

from bookdesk.core.series.gap_results import KindGaps, MissingBook, SeriesGaps


def gaps_json(gaps: SeriesGaps, authors: str = "") -> dict:
    """``authors``: what most of the series' books show, which tells two series of one name apart."""
    return {
        "id": gaps.series_id,
        "name": gaps.name,
        "authors": authors,
        "owned": list(gaps.overall.owned),
        "missing": gaps.overall.missing_labels,
        "total": gaps.total,
        "complete": gaps.complete,
        "sources": list(gaps.sources),
        "status": gaps.overall.status,
        "completion": gaps.overall.completion,
        "monitored": gaps.monitored,
        "ignored": gaps.ignored,
        "upcoming": [_book_json(b) for b in gaps.upcoming],
        "ignored_positions": list(gaps.ignored_positions),
        "missing_books": [_book_json(b) for b in gaps.overall.missing],
        "media": {kind.media_kind: _kind_json(kind) for kind in (gaps.ebook, gaps.audiobook)},
        "confidence": gaps.confidence,
        "flags": [{"code": f.code, "message": f.message} for f in gaps.flags],
    }


def gaps_json_text(gaps: SeriesGaps, authors: str = "") -> str:
    """``gaps_json`` as the command's output holds it (cli/output.py's ``emit_json`` separators)."""
    return json.dumps(gaps_json(gaps, authors), ensure_ascii=False)


def document_text(objects: list[str]) -> str:
    """The command's whole document made of the series' objects as ``gaps_json_text`` gives them: the same
    text as ``json.dumps({"series": [...]}, ensure_ascii=False)`` of the objects themselves."""
    return '{"series": [' + ", ".join(objects) + "]}"


def _kind_json(kind: KindGaps) -> dict:
    return {"owned": list(kind.owned), "missing": kind.missing_labels, "completion": kind.completion,
            "status": kind.status}


def _book_json(book: MissingBook) -> dict:
    return {"label": book.label, "title": book.title, "authors": list(book.authors),
            "release_date": book.release_date.isoformat() if book.release_date else None,
            "cover_url": book.cover_url, "sources": list(book.sources), "wanted_work_id": book.wanted_work_id}
