"""The rows make_library.py writes for a plan: every table's, in insertion order, with the derived
Work columns computed as ``WorkRepository.refresh`` does."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from _library_plan import Plan, PlannedWork
from _library_words import ADJECTIVES, EBOOK_FORMATS, GENRES, LANGUAGES, NOUNS, PUBLISHERS, weighted
from sqlalchemy import Table

from bookdesk.data.models import (
    Author,
    AuthorAlias,
    Contribution,
    File,
    Identifier,
    Series,
    SeriesEntry,
    Tag,
    Work,
)
from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.people import author_sort
from bookdesk.vocabulary.titles import title_sort

EPOCH = datetime(2015, 1, 1)
Row = dict[str, object]


def isbn13(rng: random.Random) -> str:
    body = rng.choice(("978", "979")) + f"{rng.randrange(10 ** 9):09d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def safe(part: str) -> str:
    return part.replace("/", "_").replace(":", "_")


def make_rows(plan: Plan, rng: random.Random) -> dict[Table, list[Row]]:
    """Every row of every table, in insertion order (parents first)."""
    narrator_ids = range(len(plan.authors) + 1, len(plan.authors) + len(plan.narrators) + 1)
    sort_names = [author_sort(n) for n in plan.authors]
    authors: list[Row] = [{"id": i, "name": n, "sort_name": author_sort(n), "provider_ids": "{}", "monitored": False}
                          for i, n in enumerate(plan.authors + plan.narrators, start=1)]
    series: list[Row] = [{"id": i, "name": n, "sort_name": title_sort(n), "provider_ids": "{}", "monitored": False,
                          "total_count": None} for i, n in enumerate(plan.series, start=1)]
    aliases: list[Row] = [{"author_id": a + 1, "alias": alias} for a, alias in plan.aliases]
    works: list[Row] = []
    people: list[Row] = []
    entries: list[Row] = []
    idents: list[Row] = []
    tags: list[Row] = []
    files: list[Row] = []
    for work_id, planned in enumerate(plan.works, start=1):
        status = weighted(rng, (("owned", 88), ("wanted", 11), ("ignored", 1)))
        added = EPOCH + timedelta(seconds=rng.randrange(10 * 365 * 86400))
        first = planned.authors[0]
        people += [{"work_id": work_id, "author_id": a + 1, "role": "author", "position": p}
                   for p, a in enumerate(planned.authors)]
        entries += [{"series_id": s + 1, "work_id": work_id, "label": label, "sort_key": start,
                     "sort_key_end": end} for s, label, start, end in planned.series]
        work_files = plan_files(rng, work_id, planned.title, plan.authors[first], sort_names[first], added) \
            if status == "owned" else []
        if audio := next((f for f in work_files if f["media_kind"] == "audiobook"), None):
            narrator = rng.randrange(len(plan.narrators))
            audio["narrators"] = plan.narrators[narrator]
            people.append({"work_id": work_id, "author_id": narrator_ids[narrator], "role": "narrator",
                           "position": len(planned.authors)})
        files += work_files
        if rng.random() < 0.85:
            idents.append({"work_id": work_id, "scheme": "isbn", "value": isbn13(rng)})
        if rng.random() < 0.2:
            asin = "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=8))
            idents.append({"work_id": work_id, "scheme": "asin", "value": f"B0{asin}"})
        tags += [{"work_id": work_id, "tag": t} for t in rng.sample(GENRES, rng.choice((0, 1, 1, 2, 2, 3)))]
        works.append(work_row(rng, work_id, planned, plan, sort_names, status, added, work_files))
    return {Author.__table__: authors, AuthorAlias.__table__: aliases, Series.__table__: series,
            Work.__table__: works, Contribution.__table__: people, SeriesEntry.__table__: entries,
            Identifier.__table__: idents, Tag.__table__: tags, File.__table__: files}


def plan_files(rng: random.Random, work_id: int, title: str, author: str, author_sort_name: str,
               added: datetime) -> list[Row]:
    """One or two files for an owned work: an ebook, an audiobook, or both."""
    roll = rng.random()
    ebook = weighted(rng, EBOOK_FORMATS)
    audio = "m4b" if rng.random() < 0.8 else "mp3"
    formats = [audio] if roll < 0.12 else [ebook, audio] if roll < 0.26 else \
        [ebook, "pdf" if ebook != "pdf" else "epub"] if roll < 0.34 else [ebook]
    folder = f"{safe(author_sort_name)}/{safe(title)} ({work_id})"
    rows: list[Row] = []
    for fmt in formats:
        audiobook = fmt in ("m4b", "mp3")
        size = rng.randrange(80_000_000, 1_500_000_000) if audiobook else \
            rng.randrange(1_000_000, 60_000_000) if fmt in ("pdf", "cbz") else rng.randrange(150_000, 6_000_000)
        rows.append({"work_id": work_id, "format": fmt, "media_kind": "audiobook" if audiobook else "ebook",
                     "path": f"{folder}/{safe(title)} - {safe(author)}.{fmt}", "size": size,
                     "mtime": added.timestamp() - rng.randrange(86400 * 365),
                     "content_hash": f"{rng.getrandbits(256):064x}",
                     "duration_seconds": float(rng.randrange(3 * 3600, 40 * 3600)) if audiobook else None,
                     "chapters_json": None, "narrators": None, "source_path": None, "added_at": added})
    return rows


def work_row(rng: random.Random, work_id: int, planned: PlannedWork, plan: Plan, sort_names: list[str],
             status: str, added: datetime, files: list[Row]) -> Row:
    """The works row with its derived columns computed as ``WorkRepository.refresh`` does."""
    sort_title = title_sort(planned.title)
    year = rng.randrange(1840, 2026)
    published = None if rng.random() < 0.1 else str(year) if rng.random() < 0.65 else \
        f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    display, series_key, series_index = "", "", None
    if planned.series:
        series, label, start, _ = planned.series[0]
        name = plan.series[series]
        display, series_key, series_index = (f"{name} #{label}" if label else name), fold(title_sort(name)), start
    return {
        "id": work_id, "title": planned.title, "sort_title": sort_title,
        "subtitle": rng.choice(("A Novel", "A Memoir", "Stories", "A Mystery")) if rng.random() < 0.08 else None,
        "description": f"A {rng.choice(ADJECTIVES).lower()} tale of {rng.choice(NOUNS).lower()}s and "
                       f"{rng.choice(NOUNS).lower()}s." if rng.random() < 0.3 else None,
        "language": weighted(rng, LANGUAGES), "publisher": rng.choice(PUBLISHERS), "first_published": published,
        "status": status, "rating": rng.choice((2, 4, 6, 8, 10)) if rng.random() < 0.3 else None,
        "cover_path": None, "locked_fields": "", "added_at": added, "updated_at": added,
        "title_key": fold(sort_title),
        "authors_display": " & ".join(plan.authors[a] for a in planned.authors),
        "author_key": fold(" & ".join(sort_names[a] for a in planned.authors)),
        "series_display": display, "series_key": series_key, "series_index": series_index,
        "formats": ", ".join(f.upper() for f in sorted({str(row["format"]) for row in files})),
    }
