"""Audible's series, as far as Audnexus tells them: per book, never per series.

What Audnexus offers (https://api.audnex.us, no key, 100 requests a minute):

- ``GET /books/{asin}?region=``: a book with ``seriesPrimary`` and ``seriesSecondary``, each
  ``{asin, name, position}``: the Audible series' own ASIN, its name, and Audible's ``sequence``
  as text ("1", "8.5", "1-3", sometimes "Book 2, Dramatized Adaptation"). Audnexus's own code makes
  ``seriesSecondary`` a single object; older answers and mirrors may send a list: both are read.
- ``GET /authors/{asin}``, ``GET /authors?name=``: authors, with no list of their books.
- ``GET /books/search?q=&region=`` on recent Audnexus versions only: up to ten books from Audible's
  keyword search. A server without it answers 400 or 404.

There is no series endpoint and no count of a series' books, so every listing made here is partial
(``total_primary`` None): the books the caller already has ASINs for (``series_of_books``) or a
keyword search's few hits (``search_series``). It still gives Audible's positions, release dates,
dramatized editions and box sets for those books.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.errors import NetworkError, NotFound
from bookdesk.core.net.rate_limiter import AUDNEXUS_RATE
from bookdesk.core.providers.audnexus import DEFAULT_URL, URL_ENV
from bookdesk.core.providers.endpoints import base_url as resolve_url
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.providers.fields import as_dict, as_list, asin, https, isbn13
from bookdesk.core.providers.languages import iso639_1
from bookdesk.core.providers.sanitise import clean_field
from bookdesk.core.providers.series_common import authors_of, listed_book, same_series, series_key
from bookdesk.core.providers.series_listing import ListedBook, SeriesListing, sorted_entries

log = logging.getLogger(__name__)

SOURCE = "audnexus"
LABEL = "Audnexus"
MAX_ASINS = 60  # books asked about in one call: a series longer than this is rare, and 60 is a minute's share
_REGIONS = ("us", "uk", "ca", "au", "de", "fr", "it", "es", "in", "jp")


class AudnexusSeries:
    """Partial series listings from Audnexus, through the worker's HttpClient."""

    name = SOURCE
    label = LABEL

    def __init__(self, client: HttpClient, base_url: str | None = None, *, region: str = "us") -> None:
        self.client = client
        self.base_url = resolve_url(base_url, URL_ENV, DEFAULT_URL)
        self.region = region.lower() if region.lower() in _REGIONS else "us"
        self._key = rate_key(self.base_url)
        client.limiter.ensure_rate(self._key, AUDNEXUS_RATE)

    def configured(self) -> bool:
        return True

    async def series_of_books(self, asins: Iterable[str], *, notes: list[str] | None = None,
                              user_waiting: bool = False) -> list[SeriesListing]:
        """Every Audible series the books ``asins`` belong to, each listing those of the books that
        are in it (partial: ``total_primary`` None). One request per ASIN, shared with identification
        through the cache. An unknown ASIN is a note; if every request fails, the last error is
        raised."""
        codes = list(dict.fromkeys(c for c in (asin(a) for a in asins) if c))
        remarks: list[str] = []
        if len(codes) > MAX_ASINS:
            remarks.append(f"{LABEL}: {len(codes)} books given; only the first {MAX_ASINS} were asked about.")
            codes = codes[:MAX_ASINS]
        records: list[dict] = []
        failure: NetworkError | None = None
        for code in codes:
            try:
                record = await self.client.get_json(f"{self.base_url}/books/{code}", params={"region": self.region},
                                                    user_waiting=user_waiting, service=LABEL, rate_key=self._key)
            except NotFound:
                remarks.append(f"{LABEL} has no record of the audiobook {code}.")
                continue
            except NetworkError as exc:
                failure = exc
                remarks.append(f"{LABEL} could not be asked about {code}: {exc.message}")
                continue
            records.append(as_dict(record))
        if failure is not None and not records:
            raise failure
        listings = self._group(records, remarks)
        if notes is not None:
            notes.extend(remarks)
        return listings

    async def search_series(self, name: str, *, author: str | None = None, notes: list[str] | None = None,
                            user_waiting: bool = False) -> SeriesListing | None:
        """The books of the series ``name`` among the hits of Audible's keyword search for it (and
        ``author``), where this Audnexus has ``/books/search``. Partial at best; None when the
        search is not offered or finds no book of that series. One request."""
        text = clean_field(" ".join(t for t in (name, author or "") if t), 200)
        if not text:
            return None
        try:
            answer = await self.client.get_json(f"{self.base_url}/books/search",
                                                params={"q": text, "region": self.region},
                                                user_waiting=user_waiting, service=LABEL, rate_key=self._key)
        except NetworkError as exc:
            if isinstance(exc, NotFound) or exc.status in (400, 405, 422):
                if notes is not None:
                    notes.append(f"{LABEL} at {self.base_url} offers no book search; it can only list the "
                                 "series of audiobooks whose ASINs are known.")
                return None
            raise
        records = [as_dict(r) for r in as_list(answer)]
        remarks: list[str] = []
        found = [s for s in self._group(records, remarks) if same_series(s.series_name, name)]
        if notes is not None:
            notes.extend(remarks)
        return found[0] if found else None

    # ----- inside ------------------------------------------------------------------------

    def _group(self, records: list[dict], remarks: list[str]) -> list[SeriesListing]:
        """Listings from book records: grouped by the series' ASIN (by name where there is none)."""
        names: dict[str, Counter[str]] = defaultdict(Counter)
        ids: dict[str, str | None] = {}
        entries: dict[str, list[ListedBook]] = defaultdict(list)
        pending: list[tuple[str, dict, dict]] = []
        for record in records:
            for series in _memberships(record):
                name = clean_field(series.get("name"), 300)
                if not name:
                    continue
                series_asin = asin(series.get("asin"))
                group = series_asin or f"name:{series_key(name)}"
                names[group][name] += 1
                ids[group] = series_asin
                pending.append((group, record, series))
        for group, record, series in pending:
            name = names[group].most_common(1)[0][0]
            entry = self._entry(record, series, remarks, f"{LABEL}, {name}")
            if entry is not None:
                entries[group].append(entry)
        listings = []
        for group, counted in names.items():
            name = counted.most_common(1)[0][0]
            if len(counted) > 1:
                others = ", ".join(f"\u201c{n}\u201d" for n in sorted(counted) if n != name)
                remarks.append(f"{LABEL}: one series is called \u201c{name}\u201d by some books and {others} by "
                               f"others; \u201c{name}\u201d is used.")
            listings.append(SeriesListing(source=SOURCE, series_name=name, provider_series_id=ids[group],
                                          total_primary=None, entries=sorted_entries(entries[group])))
        return listings

    def _entry(self, record: dict, series: dict, remarks: list[str], where: str) -> ListedBook | None:
        code = asin(record.get("asin"))
        identifiers = {"asin": code} if code else {}
        isbn = isbn13(record.get("isbn"))
        if isbn:
            identifiers["isbn"] = isbn
        return listed_book(
            title=record.get("title"), subtitle=record.get("subtitle"),
            authors=authors_of(as_dict(a).get("name") for a in as_list(record.get("authors"))),
            details=series.get("position"), released=record.get("releaseDate"),
            language=iso639_1(record.get("language")), identifiers=identifiers,
            cover_url=https(record.get("image")), remarks=remarks, where=where)


def _memberships(record: dict) -> list[dict]:
    """``seriesPrimary`` and ``seriesSecondary``, the latter an object or a list of them."""
    found = [as_dict(record.get("seriesPrimary"))]
    secondary = record.get("seriesSecondary")
    found.extend(as_dict(s) for s in (secondary if isinstance(secondary, list) else [secondary]))
    return [s for s in found if s]
