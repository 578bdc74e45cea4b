"""What BookDesk writes into a book's files: the catalog's view of the book, cleaned for files.

A field that is ``None`` (or empty) is one the catalog does not know; writers leave whatever
the file says about it alone rather than erase it. Values are made safe for XML and tags
(no control characters) and identifiers are normalised, so that what is written is exactly
what BookDesk's own readers will read back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.core.importer.readers.tag_values import published_from
from bookdesk.data.catalog_rows import Contributor, SeriesRef, WorkDetail
from bookdesk.vocabulary.people import author_sort

# Characters XML 1.0 cannot hold and that tag formats mangle; tab and newlines survive.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class WritableMetadata:
    title: str | None = None
    sort_title: str | None = None  # only updates a sort title the file already carries (calibre's)
    authors: tuple[Contributor, ...] = ()  # in order, each with a sort name ("Le Guin, Ursula K.")
    narrators: tuple[str, ...] = ()
    series: tuple[SeriesRef, ...] = ()  # the first is the main one; label as printed ("2", "1.5")
    isbn: str | None = None  # ISBN-13 digits
    asin: str | None = None
    language: str | None = None
    publisher: str | None = None
    date: str | None = None  # "2004" or "2004-05-01"
    description: str | None = None

    @classmethod
    def of(cls, *, title: str | None = None, sort_title: str | None = None,
           authors: list[Contributor] | tuple[Contributor, ...] = (), narrators: list[str] | tuple[str, ...] = (),
           series: list[SeriesRef] | tuple[SeriesRef, ...] = (), isbn: str | None = None, asin: str | None = None,
           language: str | None = None, publisher: str | None = None, date: str | None = None,
           description: str | None = None) -> WritableMetadata:
        """Cleaned values: blanks become None, sort names are filled in, invalid identifiers dropped."""
        people = tuple(Contributor(name, "author", _line(a.sort_name) or author_sort(name))
                       for a in authors if (name := _line(a.name)))
        refs = tuple(SeriesRef(name, _line(s.label) or "", s.sort_key) for s in series if (name := _line(s.name)))
        return cls(
            title=_line(title),
            sort_title=_line(sort_title),
            authors=people,
            narrators=tuple(dict.fromkeys(n for n in map(_line, narrators) if n)),
            series=refs,
            isbn=normalise_isbn(isbn) if isbn else None,
            asin=normalise_asin(asin) if asin else None,
            language=_line(language),
            publisher=_line(publisher),
            date=published_from(date) if date else None,  # a date BookDesk's readers can read back
            description=_text(description),
        )

    @classmethod
    def from_work(cls, work: WorkDetail) -> WritableMetadata:
        """The work as the catalog has it now."""
        return cls.of(
            title=work.title, sort_title=work.sort_title,
            authors=[c for c in work.contributors if c.role == "author"],
            narrators=[c.name for c in work.contributors if c.role == "narrator"],
            series=list(work.series), isbn=work.identifiers.get("isbn"), asin=work.identifiers.get("asin"),
            language=work.language, publisher=work.publisher, date=work.first_published,
            description=work.description,
        )

    def is_empty(self) -> bool:
        return not (self.title or self.authors or self.narrators or self.series or self.isbn or self.asin
                    or self.language or self.publisher or self.date or self.description)


def _line(value: str | None) -> str | None:
    if not value:
        return None
    return " ".join(_CONTROL.sub("", value).split()) or None


def _text(value: str | None) -> str | None:
    if not value:
        return None
    return _CONTROL.sub("", value).strip() or None
