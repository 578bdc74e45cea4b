"""What a book file says about itself, before any provider is asked."""

from __future__ import annotations

from dataclasses import dataclass, field

from bookdesk.data.records import Contributor, SeriesRef


@dataclass(slots=True)
class BookMetadata:
    title: str = ""
    contributors: list[Contributor] = field(default_factory=list)
    series: list[SeriesRef] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)
    language: str | None = None
    publisher: str | None = None
    published: str | None = None
    description: str | None = None
    subjects: list[str] = field(default_factory=list)
    subtitle: str | None = None
    cover: bytes | None = None
    cover_ext: str | None = None

    @property
    def authors(self) -> list[Contributor]:
        return [c for c in self.contributors if c.role == "author"]
