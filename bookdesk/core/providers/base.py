"""The one protocol every metadata provider follows, and the candidate it answers with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bookdesk.data.catalog_rows import Contributor, SeriesRef


@dataclass(slots=True)
class Candidate:
    """One provider's idea of what a book is."""

    provider: str  # "openlibrary", "googlebooks", "hardcover", "audnexus"
    provider_id: str  # the provider's own id of the work/edition/volume/product
    title: str
    subtitle: str | None = None
    contributors: list[Contributor] = field(default_factory=list)  # authors first, narrators marked
    series: list[SeriesRef] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)  # isbn (13 digits), asin, openlibrary, ...
    description: str | None = None  # plain text, already sanitised
    language: str | None = None  # ISO 639-1 where known
    # When the book first came out ("2004" or "2004-05-01"): the work's date, never an edition's.
    published: str | None = None
    # When this edition or recording came out (Google's publishedDate, Audible's releaseDate): kept
    # apart, since a 2015 audiobook of a 1997 novel is not a book of 2015.
    released: str | None = None
    publisher: str | None = None
    cover_url: str | None = None
    duration_seconds: float | None = None  # audiobooks
    is_compilation: bool = False  # an omnibus or box set
    is_companion: bool = False  # a summary, study guide, workbook: not the book itself
    url: str | None = None  # where a person can see this record

    @property
    def authors(self) -> list[str]:
        return [c.name for c in self.contributors if c.role == "author"]


@dataclass(frozen=True, slots=True)
class Query:
    """What is known of a book when asking a provider about it."""

    title: str = ""
    authors: tuple[str, ...] = ()
    isbn: str | None = None
    asin: str | None = None
    year: str | None = None
    language: str | None = None
    audiobook: bool = False


class MetadataProvider(Protocol):
    name: str  # short, stable: used in settings, FieldChange.source and logs
    label: str  # for people: "Open Library"

    def configured(self) -> bool:
        """False when it needs a token or key it does not have (it is then skipped, with a note)."""

    def asks_about(self, query: Query) -> bool:
        """Whether ``query`` is a question for this provider at all (Audnexus knows only ASINs): one
        that is not is neither asked nor counted among the providers that could have answered."""

    async def lookup(self, query: Query, *, user_waiting: bool = False) -> list[Candidate]:
        """Candidates for ``query``, best first: by identifier when there is one, else by search.

        Raises NetworkError for a failure of this provider; an empty list means it knows nothing.
        """
