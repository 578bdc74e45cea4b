"""The catalog's tables (DESIGN.md section 2).

Works carry a few denormalised columns (``authors_display``, ``author_key``,
``series_display``, ``series_key``, ``series_index``, ``formats``) kept in step by
the repositories, so that the library list of 100,000 books is one indexed query on
one table, sorted in SQL, as calibre does with its in-memory view.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Work(Base):
    __tablename__ = "works"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    sort_title: Mapped[str] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    publisher: Mapped[str | None] = mapped_column(Text)
    first_published: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="owned")  # owned | wanted | ignored
    rating: Mapped[int | None] = mapped_column(Integer)
    read_state: Mapped[str] = mapped_column(String(16), default="unread", server_default="unread")  # READ_STATES
    cover_path: Mapped[str | None] = mapped_column(Text)  # relative to the library folder
    locked_fields: Mapped[str] = mapped_column(Text, default="")  # comma-separated field names
    added_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Derived, kept in step by the repositories; keys are case- and accent-folded for sorting.
    title_key: Mapped[str] = mapped_column(Text, default="")
    authors_display: Mapped[str] = mapped_column(Text, default="")
    author_key: Mapped[str] = mapped_column(Text, default="")
    series_display: Mapped[str] = mapped_column(Text, default="")
    series_key: Mapped[str] = mapped_column(Text, default="")
    series_index: Mapped[float | None] = mapped_column(Float)
    formats: Mapped[str] = mapped_column(Text, default="")
    # What a wanted book is known by before it is in the library (issue 5): the cover a provider
    # showed, and which media kinds are wanted ("ebook,audiobook"; empty with status "wanted": any).
    # An owned ebook whose audiobook is wanted keeps status "owned" and has "audiobook" here.
    cover_url: Mapped[str | None] = mapped_column(Text)
    wanted_kinds: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The Audiobookshelf servers holding this book, by name, comma-separated (issue 17): kept in step
    # with ``abs_links`` by data/abs_link_repository.py. Empty: on no server.
    on_server: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (
        Index("ix_works_title_key", "title_key", "id"),
        Index("ix_works_author_key", "author_key", "title_key", "id"),
        Index("ix_works_series_key", "series_key", "series_index", "id"),
        Index("ix_works_added_at", "added_at", "id"),
        Index("ix_works_status", "status", "id"),
        Index("ix_works_formats", "formats", "id"),
        Index("ix_works_first_published", "first_published", "id"),
        Index("ix_works_read_state", "read_state", "id"),
        Index("ix_works_on_server", "on_server", "id"),
    )


class Identifier(Base):
    __tablename__ = "identifiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(32))  # isbn, asin, openlibrary, hardcover, google, uuid
    value: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("work_id", "scheme", name="uq_identifiers_work_scheme"),
        Index("ix_identifiers_scheme_value", "scheme", "value"),
    )


class Tag(Base):
    __tablename__ = "work_tags"

    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(Text, primary_key=True)


class File(Base):
    """An edition on disk."""

    __tablename__ = "files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(16))  # epub, pdf, mobi, azw3, cbz, m4b, mp3, ...
    media_kind: Mapped[str] = mapped_column(String(16))  # ebook | audiobook
    path: Mapped[str] = mapped_column(Text, unique=True)  # relative to the library folder, '/' separated
    size: Mapped[int] = mapped_column(Integer)
    mtime: Mapped[float] = mapped_column(Float)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    chapters_json: Mapped[str | None] = mapped_column(Text)
    narrators: Mapped[str | None] = mapped_column(Text)
    source_path: Mapped[str | None] = mapped_column(Text)  # where it was imported from
    added_at: Mapped[datetime] = mapped_column(DateTime)

    # Which media kinds each work has, read from the index alone by the series gap analysis.
    __table_args__ = (Index("ix_files_work_kind", "work_id", "media_kind"),)


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    sort_name: Mapped[str] = mapped_column(Text)
    provider_ids: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    monitored: Mapped[bool] = mapped_column(Boolean, default=False)


class AuthorAlias(Base):
    __tablename__ = "author_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text, unique=True)


class Contribution(Base):
    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="author")  # author, narrator, editor, translator
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("work_id", "author_id", "role", name="uq_contributions"),)


class Series(Base):
    """A series, known by its name and its people (see ``series_identity``): two authors' "Archive
    Saga" are two rows of one name (migration 0007)."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    sort_name: Mapped[str] = mapped_column(Text)
    provider_ids: Mapped[str] = mapped_column(Text, default="{}")
    monitored: Mapped[bool] = mapped_column(Boolean, default=False)
    total_count: Mapped[int | None] = mapped_column(Integer)
    ignored: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # not interested


class SeriesEntry(Base):
    __tablename__ = "series_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(Text, default="")  # as printed: "1", "1.5", "1-3", "Prequel"
    sort_key: Mapped[float | None] = mapped_column(Float)
    sort_key_end: Mapped[float | None] = mapped_column(Float)  # an omnibus covers sort_key..sort_key_end

    __table_args__ = (UniqueConstraint("series_id", "work_id", name="uq_series_entries"),)


class SeriesListing(Base):
    """What one provider lists for a series, as last fetched: one row per series and source.

    The books are kept as the JSON the core's ``SeriesListing`` writes, so the provider side can
    grow fields without a migration; the gap analysis reads every listing in one query.
    """

    __tablename__ = "series_listings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(32))  # hardcover, audnexus, googlebooks, openlibrary
    provider_series_id: Mapped[str | None] = mapped_column(Text)
    series_name: Mapped[str] = mapped_column(Text)  # as the provider names it (a series may be renamed)
    total_primary: Mapped[int | None] = mapped_column(Integer)
    books_json: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("series_id", "source", name="uq_series_listings_series_source"),)


class SeriesCheck(Base):
    """One gap check of a series: what was owned and missing then, per media kind, and who said so."""

    __tablename__ = "series_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"))
    checked_at: Mapped[datetime] = mapped_column(DateTime)
    media_kind: Mapped[str] = mapped_column(String(16))  # any, ebook, audiobook
    owned: Mapped[int] = mapped_column(Integer)
    missing: Mapped[int] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    sources: Mapped[str] = mapped_column(Text, default="")  # comma-separated; empty: the library alone

    __table_args__ = (Index("ix_series_checks_series_id", "series_id", "checked_at"),)


class FieldChange(Base):
    __tablename__ = "field_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)  # JSON
    new_value: Mapped[str | None] = mapped_column(Text)  # JSON
    source: Mapped[str] = mapped_column(String(64))  # user, file, or a provider's name
    correlation_id: Mapped[str | None] = mapped_column(String(16), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)


class Download(Base):
    __tablename__ = "downloads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id", ondelete="SET NULL"), index=True)
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    client: Mapped[str | None] = mapped_column(String(32))
    client_id: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    bytes_total: Mapped[int | None] = mapped_column(Integer)
    bytes_done: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_retry_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    correlation_id: Mapped[str | None] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Acquisition (migration 0005). ``kind``: http (the download queue), torrent or usenet (a client).
    kind: Mapped[str] = mapped_column(String(16), default="http", server_default="http")
    title: Mapped[str | None] = mapped_column(Text)  # what the person sees in the Downloads view
    file_name: Mapped[str | None] = mapped_column(Text)  # the name it will have once complete
    expected_format: Mapped[str | None] = mapped_column(String(16))  # epub, m4b, ... as the source claims
    media_kind: Mapped[str | None] = mapped_column(String(16))  # ebook or audiobook, when known
    part_path: Mapped[str | None] = mapped_column(Text)  # the .part file, relative to the library folder
    path: Mapped[str | None] = mapped_column(Text)  # where it ended: staging file, client folder or library file
    validator: Mapped[str | None] = mapped_column(Text)  # ETag or Last-Modified, for If-Range on resume
    import_after: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    indexer: Mapped[str | None] = mapped_column(Text)  # the indexer or catalog a release came from
    guid: Mapped[str | None] = mapped_column(Text)  # the release's id at that indexer
    save_path: Mapped[str | None] = mapped_column(Text)  # the client's folder for it, as the client sees it


class BlocklistEntry(Base):
    """A release that failed (would not download, was not the book, would not import): never grabbed again."""

    __tablename__ = "blocklist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id", ondelete="SET NULL"), index=True)
    indexer: Mapped[str | None] = mapped_column(Text)
    guid: Mapped[str | None] = mapped_column(Text, index=True)
    title: Mapped[str] = mapped_column(Text, index=True)
    reason: Mapped[str] = mapped_column(Text)
    correlation_id: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Revision(Base):
    """Counters that triggers move whenever what they stand for changes (migration 0006): ``series`` moves
    with anything the series gap analysis reads, so a saved analysis can be trusted at the next start."""

    __tablename__ = "revisions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, default=0)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # queued, running, succeeded, failed, cancelled
    correlation_id: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class Schedule(Base):
    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_kind: Mapped[str] = mapped_column(String(32), unique=True)
    interval_seconds: Mapped[int | None] = mapped_column(Integer)
    rule: Mapped[str | None] = mapped_column(Text)
    last_run: Mapped[datetime | None] = mapped_column(DateTime)
    next_run: Mapped[datetime | None] = mapped_column(DateTime)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class ImportSource(Base):
    """A file an import has seen: where it was, what it was, and what became of it.

    A re-import recognises an unchanged file (same path, size and modification time)
    from here without reading it, and an import is undone from its rows.
    """

    __tablename__ = "import_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_path: Mapped[str] = mapped_column(Text, index=True)
    target_path: Mapped[str | None] = mapped_column(Text)  # where it went in the library; None: a duplicate
    size: Mapped[int] = mapped_column(Integer)
    mtime_ns: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"))  # None: a duplicate
    created_work: Mapped[bool] = mapped_column(Boolean, default=False)
    mode: Mapped[str] = mapped_column(String(8))  # copy, move, link
    correlation_id: Mapped[str] = mapped_column(String(16), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class ImportJournalEntry(Base):
    """A file placed in the library by an import batch not yet committed.

    Entries are written before the files are placed and deleted in the same transaction
    that adds the books, so an entry left behind marks a file from a batch that never
    committed; the next import takes such files back out.
    """

    __tablename__ = "import_journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_path: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(Text)
    correlation_id: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ReviewItem(Base):
    """A proposed identification that waits for a person: the best candidates, their scores and
    why, and the changes applying the best one would make."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    correlation_id: Mapped[str] = mapped_column(String(16), index=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending, applied, skipped
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was not applied automatically
    candidates_json: Mapped[str] = mapped_column(Text)  # best first: proposal, score parts, sources
    created_at: Mapped[datetime] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)


class Removal(Base):
    """What one removal, format removal, merge or split changed, kept so it can be undone (migration
    0009): the catalog rows as they were and where each file went in the system trash."""

    __tablename__ = "removals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    correlation_id: Mapped[str] = mapped_column(String(16), index=True)
    action: Mapped[str] = mapped_column(String(16))  # remove, remove-format, merge, split
    snapshot_json: Mapped[str] = mapped_column(Text)  # data/work_snapshot.py
    trashed_json: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")  # core/removal/trash.py
    created_at: Mapped[datetime] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
