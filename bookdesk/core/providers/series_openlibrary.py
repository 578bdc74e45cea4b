"""Open Library's series: the new work-level series, and only those.

What Open Library has:

- Edition records carry ``series``: free-text strings copied from catalogue records ("Mistborn ;
  bk. 1", "Redwall (6)", "Tor fantasy"). They are mostly *publishers'* series, written differently
  edition by edition, with no identifier: not usable for a listing, and not used here.
- Since 2026 a work may carry ``series: [{"series": {"key": "/series/OL…L"}, "position": "1"}]``,
  and ``/series/OL…L.json`` gives the series' ``name``. Only super-librarians can set these, so few
  series have them, and a series page may miss some of its works (Open Library issue #12127).
- The search index returns ``series_key``, ``series_name`` and ``series_position`` (parallel lists)
  for works in such a series.

So a listing is made from a series key (known, or found on a work the library has): a search for
the works carrying that key, each one checked to really carry it. If the search offers nothing, the
works already read make a smaller listing. Open Library gives no count, and its lists may be
incomplete: ``total_primary`` is always None.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.errors import NetworkError, NotFound
from bookdesk.core.net.rate_limiter import OPENLIBRARY_RATE
from bookdesk.core.providers.endpoints import base_url as resolve_url
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.providers.fields import as_dict, as_list
from bookdesk.core.providers.languages import iso639_1
from bookdesk.core.providers.openlibrary import (
    COVERS_URL_ENV,
    DEFAULT_COVERS_URL,
    DEFAULT_URL,
    URL_ENV,
    ensure_cover_rates,
)
from bookdesk.core.providers.sanitise import clean_field
from bookdesk.core.providers.series_common import MAX_ENTRIES, authors_of, listed_book, same_series
from bookdesk.core.providers.series_listing import ListedBook, SeriesListing, sorted_entries

log = logging.getLogger(__name__)

SOURCE = "openlibrary"
LABEL = "Open Library"
SERIES_MAX_AGE = 30 * 86400.0
MAX_WORKS = 3  # works read to find a series' key
SEARCH_LIMIT = 100
SEARCH_FIELDS = "key,title,subtitle,author_name,first_publish_year,language,cover_i,series_key,series_position"
_SERIES_ID = re.compile(r"(OL\d{1,12}L)\b", re.IGNORECASE)
_WORK_ID = re.compile(r"(OL\d{1,12}W)\b", re.IGNORECASE)


class OpenLibrarySeries:
    """Work-level series listings from Open Library, through the worker's HttpClient."""

    name = SOURCE
    label = LABEL

    def __init__(self, client: HttpClient, base_url: str | None = None, *, covers_url: str | None = None) -> None:
        self.client = client
        self.base_url = resolve_url(base_url, URL_ENV, DEFAULT_URL)
        self.covers_url = resolve_url(covers_url, COVERS_URL_ENV, DEFAULT_COVERS_URL)
        self._key = rate_key(self.base_url)
        client.limiter.ensure_rate(self._key, OPENLIBRARY_RATE)
        ensure_cover_rates(client, self.covers_url)

    def configured(self) -> bool:
        return True

    async def series_listing(self, series: str | None = None, *, works: Iterable[str] = (), name: str | None = None,
                             notes: list[str] | None = None, user_waiting: bool = False) -> SeriesListing | None:
        """The works Open Library places in ``series`` (a key: "OL326110L", "/series/OL326110L" or its
        address), or in the series one of ``works`` (Open Library work ids) is in, the one called
        ``name`` when there are several. None when no series is found.

        Requests: one per work read (at most three; none with a key), one for the series' name (kept
        a month), one search.
        """
        remarks: list[str] = []
        series_id = _series_id(series)
        read: list[dict] = []
        if series_id is None:
            series_id, read = await self._series_from_works(works, name, user_waiting)
            if series_id is None:
                return None
        title = await self._series_name(series_id, user_waiting) or clean_field(name, 300)
        if not title:
            return None
        where = f"{LABEL}, {title}"
        entries: list[ListedBook] = []
        try:
            entries = await self._members(series_id, remarks, where, user_waiting)
        except NetworkError as exc:
            if not read:
                raise
            remarks.append(f"{where}: the works in the series could not be searched ({exc.message}).")
        if not entries and read:
            remarks.append(f"{where}: only the works already known are listed.")
            entries = [e for e in (self._work_entry(w, series_id, remarks, where) for w in read) if e is not None]
        if notes is not None:
            notes.extend(remarks)
        return SeriesListing(source=SOURCE, series_name=title, provider_series_id=series_id, total_primary=None,
                             entries=sorted_entries(entries[:MAX_ENTRIES]))

    # ----- inside ------------------------------------------------------------------------

    async def _series_from_works(self, works: Iterable[str], name: str | None,
                                 user_waiting: bool) -> tuple[str | None, list[dict]]:
        read: list[dict] = []
        candidates: list[str] = []
        for work in list(dict.fromkeys(w for w in (_work_id(x) for x in works) if w))[:MAX_WORKS]:
            try:
                record = as_dict(await self.client.get_json(f"{self.base_url}/works/{work}.json",
                                                            user_waiting=user_waiting, service=LABEL,
                                                            rate_key=self._key))
            except NotFound:
                continue
            keys = [k for k in (_series_id(as_dict(as_dict(s).get("series")).get("key"))
                                for s in as_list(record.get("series"))) if k]
            if keys:
                read.append(record)
                candidates.extend(k for k in keys if k not in candidates)
                if not name:
                    break
        for candidate in candidates:
            if not name or same_series(await self._series_name(candidate, user_waiting), name):
                return candidate, [w for w in read if candidate in _work_series(w)]
        return None, []

    async def _series_name(self, series_id: str, user_waiting: bool) -> str | None:
        try:
            record = as_dict(await self.client.get_json(f"{self.base_url}/series/{series_id}.json",
                                                        user_waiting=user_waiting, max_age=SERIES_MAX_AGE,
                                                        service=LABEL, rate_key=self._key))
        except NotFound:
            return None
        return clean_field(record.get("name") or record.get("title"), 300)

    async def _members(self, series_id: str, remarks: list[str], where: str, user_waiting: bool) -> list[ListedBook]:
        """The works the search index files under the series: each kept only if its own
        ``series_key`` list names the series, its position the one at the same place in
        ``series_position``."""
        key = f"/series/{series_id}"
        try:
            answer = as_dict(await self.client.get_json(
                f"{self.base_url}/search.json",
                params={"q": f'series_key:"{key}"', "fields": SEARCH_FIELDS, "limit": SEARCH_LIMIT},
                user_waiting=user_waiting, service=LABEL, rate_key=self._key))
        except NotFound:
            return []
        entries = []
        for doc in as_list(answer.get("docs")):
            doc = as_dict(doc)
            keys = [_series_id(k) for k in as_list(doc.get("series_key"))]
            if series_id not in keys:
                continue
            positions = as_list(doc.get("series_position"))
            index = keys.index(series_id)
            position = positions[index] if index < len(positions) else None
            work = _work_id(doc.get("key"))
            entry = listed_book(
                title=doc.get("title"), subtitle=doc.get("subtitle"), authors=authors_of(as_list(doc.get("author_name"))),
                details=position, released=doc.get("first_publish_year"), language=_one_language(doc.get("language")),
                identifiers={"openlibrary": work} if work else {}, cover_url=self._cover(doc.get("cover_i")),
                remarks=remarks, where=where)
            if entry is not None:
                entries.append(entry)
        return entries

    def _work_entry(self, record: dict, series_id: str, remarks: list[str], where: str) -> ListedBook | None:
        position = next((as_dict(s).get("position") for s in as_list(record.get("series"))
                         if _series_id(as_dict(as_dict(s).get("series")).get("key")) == series_id), None)
        work = _work_id(record.get("key"))
        covers = [c for c in as_list(record.get("covers")) if isinstance(c, int) and c > 0]
        return listed_book(title=record.get("title"), subtitle=record.get("subtitle"), authors=[], details=position,
                           released=record.get("first_publish_date"),
                           identifiers={"openlibrary": work} if work else {},
                           cover_url=self._cover(covers[0] if covers else None), remarks=remarks, where=where)

    def _cover(self, cover_id: object) -> str | None:
        if isinstance(cover_id, int) and not isinstance(cover_id, bool) and cover_id > 0:
            return f"{self.covers_url}/b/id/{cover_id}-L.jpg"
        return None


def _series_id(value: object) -> str | None:
    match = _SERIES_ID.search(value) if isinstance(value, str) else None
    return match.group(1).upper() if match else None


def _work_id(value: object) -> str | None:
    match = _WORK_ID.search(value) if isinstance(value, str) else None
    return match.group(1).upper() if match else None


def _work_series(record: dict) -> list[str]:
    return [k for k in (_series_id(as_dict(as_dict(s).get("series")).get("key")) for s in as_list(record.get("series")))
            if k]


def _one_language(codes: object) -> str | None:
    """A work lists its editions' languages: only a single one says the book's."""
    marc = [c for c in as_list(codes) if isinstance(c, str)]
    return iso639_1(marc[0]) if len(marc) == 1 else None
