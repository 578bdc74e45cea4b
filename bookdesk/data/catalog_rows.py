"""Plain dataclasses that cross from the catalog to the services and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class WorkRow:
    """One line of the library list."""

    id: int
    title: str
    authors: str
    series: str
    formats: str
    status: str
    added_at: datetime
    first_published: str | None
    read_state: str = "unread"
    rating: int | None = None
    files: int = 0  # how many files it has (Split Format and Remove Format need two)
    on_server: str = ""  # the Audiobookshelf servers holding it, by name ("" when none)


# Shown for a book whose files name nobody; never evidence of who wrote it.
UNKNOWN_AUTHOR = "Unknown Author"


@dataclass(frozen=True, slots=True)
class Contributor:
    name: str
    role: str = "author"
    sort_name: str = ""


@dataclass(frozen=True, slots=True)
class SeriesRef:
    name: str
    label: str = ""
    sort_key: float | None = None
    # Which series exactly, when the writer must not look it up by name and authors (a wanted book
    # made for one series' gap); None, as read from files and providers: see ``series_identity``.
    series_id: int | None = field(default=None, compare=False)

    @property
    def display(self) -> str:
        """ "Earthsea Cycle #2", or the name alone when the position is not known."""
        return series_display(self.name, self.label)


def series_display(name: str, label: str | None) -> str:
    return f"{name} #{label}" if label else name


@dataclass(frozen=True, slots=True)
class FileRecord:
    id: int
    path: str  # relative to the library folder
    format: str
    media_kind: str
    size: int
    content_hash: str
    duration_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class WorkDetail:
    id: int
    title: str
    sort_title: str
    subtitle: str | None
    description: str | None
    language: str | None
    publisher: str | None
    first_published: str | None
    status: str
    rating: int | None
    cover_path: str | None
    contributors: tuple[Contributor, ...]
    series: tuple[SeriesRef, ...]
    identifiers: dict[str, str]
    tags: tuple[str, ...]
    files: tuple[FileRecord, ...]
    locked_fields: frozenset[str]
    added_at: datetime
    read_state: str = "unread"
    on_server: tuple[str, ...] = ()  # the Audiobookshelf servers holding it, by name

    @property
    def authors(self) -> list[str]:
        return [c.name for c in self.contributors if c.role == "author"]


@dataclass(slots=True)
class NewFile:
    path: str  # relative to the library folder
    format: str
    media_kind: str
    size: int
    mtime: float
    content_hash: str
    source_path: str | None = None
    duration_seconds: float | None = None
    chapters_json: str | None = None
    narrators: str | None = None


@dataclass(slots=True)
class NewWork:
    """What an import (or a provider) knows about a book before it is in the catalog."""

    title: str
    contributors: list[Contributor] = field(default_factory=list)
    series: list[SeriesRef] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    subtitle: str | None = None
    description: str | None = None
    language: str | None = None
    publisher: str | None = None
    first_published: str | None = None
    status: str = "owned"
    cover_path: str | None = None
    files: list[NewFile] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FieldChangeRecord:
    id: int
    work_id: int
    field: str
    old_value: object
    new_value: object
    source: str
    correlation_id: str | None
    changed_at: datetime
    undone: bool


@dataclass(frozen=True, slots=True)
class JobRecord:
    id: int
    kind: str
    title: str
    state: str
    correlation_id: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: float
    message: str
    summary: str | None
    error: str | None


@dataclass(frozen=True, slots=True)
class SeriesSummary:
    id: int
    name: str
    owned: int
    labels: tuple[str, ...]
    authors: str
    monitored: bool
    total_count: int | None


@dataclass(frozen=True, slots=True)
class DownloadRecord:
    """One download as the queue, the clients and the Downloads view see it."""

    id: int
    work_id: int | None
    source: str
    url: str
    state: str  # queued, running, paused, completed, failed, imported, cancelled
    bytes_total: int | None
    bytes_done: int
    last_error: str | None
    correlation_id: str | None
    updated_at: datetime
    kind: str = "http"  # http (the download queue), torrent or usenet (a client)
    title: str | None = None
    file_name: str | None = None
    expected_format: str | None = None
    media_kind: str | None = None
    part_path: str | None = None  # relative to the library folder
    path: str | None = None  # where it ended: staging file, client folder or library file
    validator: str | None = None  # ETag or Last-Modified, sent back as If-Range
    import_after: bool = True
    attempts: int = 0
    next_retry_at: datetime | None = None
    client: str | None = None
    client_id: str | None = None
    indexer: str | None = None
    guid: str | None = None
    save_path: str | None = None
    created_at: datetime | None = None

    @property
    def error(self) -> str | None:
        return self.last_error
