"""What an OPDS catalog says, as plain frozen records: a feed, its entries, their acquisition links.

Every address in these records is absolute, so a caller can fetch it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

ACQUISITION = "http://opds-spec.org/acquisition"
OPEN_ACCESS = ACQUISITION + "/open-access"
BORROW = ACQUISITION + "/borrow"
BUY = ACQUISITION + "/buy"
SAMPLE = ACQUISITION + "/sample"
SUBSCRIBE = ACQUISITION + "/subscribe"

# Ebook before audiobook, and within each the formats that lose the least (issue 6's quality profile).
PREFERRED_FORMATS = ("epub", "kepub", "azw3", "mobi", "pdf", "cbz", "cbr", "fb2", "m4b", "mp3")


@dataclass(frozen=True, slots=True)
class OpdsAcquisition:
    """One way to get a book: a link with its MIME type and the format that type means."""

    href: str
    type: str  # the MIME type as served, without parameters
    format: str | None  # epub, azw3, m4b ... or None for a type that is not a book file
    rel: str = ACQUISITION
    size: int | None = None  # bytes, when the server says (calibre's length attribute)
    title: str | None = None  # how the server names this link ("EPUB (no images)")

    @property
    def kind(self) -> str:
        """``acquisition``, ``open-access``, ``borrow``, ``buy``, ``sample`` or ``subscribe``."""
        return self.rel.removeprefix(ACQUISITION).lstrip("/") or "acquisition"

    @property
    def downloadable(self) -> bool:
        """True for a file that can be fetched now (not a shop page, a loan or a sample)."""
        return self.rel in (ACQUISITION, OPEN_ACCESS) and self.format is not None


@dataclass(frozen=True, slots=True)
class OpdsEntry:
    """A book (with acquisitions) or a way further into the catalog (with ``navigation_url``)."""

    id: str
    title: str
    authors: tuple[str, ...] = ()
    summary: str = ""
    language: str | None = None
    updated: datetime | None = None
    published: datetime | None = None
    publisher: str | None = None
    cover_url: str | None = None
    thumbnail_url: str | None = None
    acquisitions: tuple[OpdsAcquisition, ...] = ()
    navigation_url: str | None = None
    series: str | None = None
    series_index: float | None = None
    categories: tuple[str, ...] = ()

    @property
    def is_navigation(self) -> bool:
        return not self.acquisitions and self.navigation_url is not None

    def best_acquisition(self, formats: Sequence[str] = PREFERRED_FORMATS) -> OpdsAcquisition | None:
        """The downloadable link of the first format in ``formats`` this entry offers."""
        offered = [a for a in self.acquisitions if a.downloadable]
        for fmt in formats:
            for acquisition in offered:
                if acquisition.format == fmt:
                    return acquisition
        return None


@dataclass(frozen=True, slots=True)
class OpdsFeed:
    """One page of a catalog. ``next_url`` is the following page, if any; search either fills
    ``search_template`` or first reads the OpenSearch description at ``search_description_url``."""

    url: str
    title: str
    id: str = ""
    entries: tuple[OpdsEntry, ...] = ()
    next_url: str | None = None
    previous_url: str | None = None
    up_url: str | None = None
    start_url: str | None = None
    search_template: str | None = None  # an absolute URL with {searchTerms}
    search_description_url: str | None = None  # an OpenSearch description document
    total_results: int | None = None  # OpenSearch's count over all pages, when given
    icon_url: str | None = None

    @property
    def searchable(self) -> bool:
        return bool(self.search_template or self.search_description_url)

    @property
    def books(self) -> tuple[OpdsEntry, ...]:
        return tuple(e for e in self.entries if e.acquisitions)

    @property
    def is_acquisition_feed(self) -> bool:
        return any(e.acquisitions for e in self.entries)
