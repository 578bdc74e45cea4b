"""Google Books series: a volume's ``seriesInfo`` and the series' membership list.

What Google Books offers (books/v1, an API key optional but a shared anonymous quota without one):

- ``volumeInfo.seriesInfo`` on a volume in a series: ``bookDisplayNumber`` (the position as
  printed) and ``volumeSeries[]``: ``seriesId``, ``orderNumber``, ``seriesBookType`` and, for a
  collected edition or an omnibus, ``issue[]`` (``issueOrderNumber``, ``issueDisplayNumber``) naming
  the books it contains;
- ``series/get?series_id=``: a series' ``title`` (no count of its books);
- ``series/membership/get?series_id=&page_size=&page_token=``: the series' volumes (``member[]``,
  full Volume resources) and ``nextPageToken``.

What it cannot tell: a volume search answers ``seriesInfo`` for comics and manga, but for prose only
``volumes/{id}?includeNonComicsSeries=true`` may carry it (one request per volume, and only for
series Google sells as such); novels found by ISBN mostly come back without it (see the recorded
InCryptid volumes in the provider tests). So Google is not counted on for a novel's series: when
none of the ISBNs leads to a series this answers None, and the series come from Hardcover and
Audnexus.

There is no search by series name: a series is found from a volume of it (an ISBN the library
already has) or from its id. Google's series are the Play Store's, so a listing holds what Google
sells, mostly ebooks. Google gives no count of primary books; when the whole membership list was
read, ``total_primary`` is the number of whole-number positions it lists (not counting omnibuses),
else None.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.errors import NetworkError, NotFound
from bookdesk.core.net.rate_limiter import GOOGLEBOOKS_RATE
from bookdesk.core.providers.endpoints import base_url as resolve_url
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.providers.fields import as_dict, as_list, https, isbn13
from bookdesk.core.providers.googlebooks import DEFAULT_URL, SERIES_MAX_AGE, URL_ENV
from bookdesk.core.providers.languages import iso639_1
from bookdesk.core.providers.sanitise import clean_field
from bookdesk.core.providers.series_common import MAX_ENTRIES, authors_of, listed_book, same_series
from bookdesk.core.providers.series_listing import ListedBook, SeriesListing, sorted_entries
from bookdesk.vocabulary.positions import read_position

log = logging.getLogger(__name__)

SOURCE = "googlebooks"
LABEL = "Google Books"
PAGE_SIZE = 40  # the most volumes Google returns in one answer
MAX_PAGES = 5
MAX_ISBNS = 3  # volumes looked up to find a series' id


class GoogleBooksSeries:
    """Series listings from Google Books, through the worker's HttpClient."""

    name = SOURCE
    label = LABEL

    def __init__(self, client: HttpClient, base_url: str | None = None, *, api_key: str | None = None,
                 volumes_per_search: int = 5) -> None:
        self.client = client
        self.base_url = resolve_url(base_url, URL_ENV, DEFAULT_URL)
        self.volumes_per_search = volumes_per_search  # as the lookup asks, so its answers are shared in the cache
        self._api_key = api_key.strip() if api_key and api_key.strip() else None
        self._key = rate_key(self.base_url)
        self._titles_seen: dict[str, str] = {}
        client.limiter.ensure_rate(self._key, GOOGLEBOOKS_RATE)

    def configured(self) -> bool:
        return True  # a key only raises the quota

    async def series_listing(self, series_id: str | None = None, *, isbns: Iterable[str] = (),
                             name: str | None = None, notes: list[str] | None = None,
                             user_waiting: bool = False) -> SeriesListing | None:
        """The volumes Google lists in the series ``series_id``, or in the series of one of the
        books ``isbns`` (the one called ``name``, when a name is given). None when neither leads to
        such a series.

        Requests: one per ISBN looked at (at most three; none with an id), one for the series' name,
        one per 40 volumes of membership. If Google will not give the membership, the listing is
        made of the volumes already seen, and says it is partial (``total_primary`` None).
        """
        remarks: list[str] = []
        seen: list[dict] = []
        if not series_id:
            series_id, seen = await self._series_from_isbns(isbns, name, user_waiting, notes)
            if not series_id:
                return None
        title = (await self._titles([series_id], user_waiting)).get(series_id) or clean_field(name, 300)
        if not title:
            return None
        where = f"{LABEL}, {title}"
        members, complete = seen, False
        try:
            members, complete = await self._members(series_id, user_waiting)
        except NetworkError as exc:
            if not seen:
                raise
            remarks.append(f"{where}: the series' list of books could not be had ({exc.message}); "
                           "only the books already looked up are listed.")
        entries = [e for e in (self._entry(v, series_id, remarks, where) for v in members) if e is not None]
        if len(entries) > MAX_ENTRIES:
            entries, complete = entries[:MAX_ENTRIES], False
        total = _whole_positions(entries) if complete and entries else None
        if notes is not None:
            notes.extend(remarks)
        return SeriesListing(source=SOURCE, series_name=title, provider_series_id=series_id,
                             total_primary=total, entries=sorted_entries(entries))

    # ----- inside ------------------------------------------------------------------------

    def _params(self, **params: object) -> dict[str, object]:
        if self._api_key:
            params["key"] = self._api_key
        return params

    async def _series_from_isbns(self, isbns: Iterable[str], name: str | None, user_waiting: bool,
                                 remarks: list[str] | None = None) -> tuple[str | None, list[dict]]:
        """The id of the series one of ``isbns`` is in (the one named ``name``: a series of another
        name is not taken, but named in ``remarks``), and the volumes seen on the way."""
        volumes: list[dict] = []
        counts: Counter[str] = Counter()
        for isbn in list(dict.fromkeys(i for i in (isbn13(x) for x in isbns) if i))[:MAX_ISBNS]:
            try:
                answer = await self.client.get_json(
                    f"{self.base_url}/volumes",
                    params=self._params(q=f"isbn:{isbn}", maxResults=self.volumes_per_search, printType="books"),
                    user_waiting=user_waiting, service=LABEL, rate_key=self._key)
            except NotFound:
                continue
            for volume in as_list(as_dict(answer).get("items")):
                volume = as_dict(volume)
                ids = _series_ids(volume)
                if ids:
                    volumes.append(volume)
                    counts.update(ids)
            if counts and not name:
                break
        if not counts:
            return None, []
        chosen = counts.most_common(1)[0][0]
        if name:
            titles = await self._titles(list(counts), user_waiting)
            chosen = next((i for i, _ in counts.most_common() if same_series(titles.get(i), name)), None)
            if chosen is None:
                if remarks is not None:
                    named = ", ".join(f"\u201c{titles.get(i, i)}\u201d" for i, _ in counts.most_common())
                    remarks.append(f"{LABEL} puts the books asked about in {named}, not in \u201c{name}\u201d.")
                return None, []
        return chosen, [v for v in volumes if chosen in _series_ids(v)]

    async def _titles(self, ids: list[str], user_waiting: bool) -> dict[str, str]:
        if all(i in self._titles_seen for i in ids):
            return {i: self._titles_seen[i] for i in ids}
        try:
            answer = await self.client.get_json(
                f"{self.base_url}/series/get", params=self._params(series_id=ids[:10]), user_waiting=user_waiting,
                max_age=SERIES_MAX_AGE, service=LABEL, rate_key=self._key)
        except NotFound:
            return {}
        titles = {}
        for series in as_list(as_dict(answer).get("series")):
            series = as_dict(series)
            series_id, title = series.get("seriesId"), clean_field(series.get("title"), 300)
            if isinstance(series_id, str) and title:
                titles[series_id] = title
        self._titles_seen.update(titles)
        return titles

    async def _members(self, series_id: str, user_waiting: bool) -> tuple[list[dict], bool]:
        """The series' volumes, page by page; and whether the list was read to its end."""
        members: list[dict] = []
        token: str | None = None
        for _ in range(MAX_PAGES):
            params = self._params(series_id=series_id, page_size=PAGE_SIZE)
            if token:
                params["page_token"] = token
            answer = as_dict(await self.client.get_json(
                f"{self.base_url}/series/membership/get", params=params, user_waiting=user_waiting,
                service=LABEL, rate_key=self._key))
            members.extend(as_dict(v) for v in as_list(answer.get("member")))
            token = answer.get("nextPageToken") if isinstance(answer.get("nextPageToken"), str) else None
            if not token:
                return members, True
        return members, False

    def _entry(self, volume: dict, series_id: str, remarks: list[str], where: str) -> ListedBook | None:
        volume_id = volume.get("id")
        info = as_dict(volume.get("volumeInfo"))
        if not isinstance(volume_id, str) or not volume_id:
            return None
        series_info = as_dict(info.get("seriesInfo"))
        membership = next((as_dict(s) for s in as_list(series_info.get("volumeSeries"))
                           if as_dict(s).get("seriesId") == series_id), {})
        issues = [as_dict(i) for i in as_list(membership.get("issue"))]
        kind = str(membership.get("seriesBookType") or "").upper()
        printed = series_info.get("bookDisplayNumber")
        if len(issues) > 1:  # an omnibus or a collected edition names the books it holds
            numbers = [n for n in (read_position(i.get("issueDisplayNumber") or i.get("issueOrderNumber")).sort_key
                                   for i in issues) if n is not None]
            if numbers and not read_position(printed).is_range:
                low, high = min(numbers), max(numbers)
                printed = f"{low:g}-{high:g}" if high > low else f"{low:g}"
        identifiers = {"google": volume_id}
        for kind_of in ("ISBN_13", "ISBN_10"):
            for entry in as_list(info.get("industryIdentifiers")):
                entry = as_dict(entry)
                if entry.get("type") == kind_of and "isbn" not in identifiers and isbn13(entry.get("identifier")):
                    identifiers["isbn"] = isbn13(entry.get("identifier"))
        links = as_dict(info.get("imageLinks"))
        cover = https(links.get("thumbnail") or links.get("smallThumbnail"))
        return listed_book(
            title=info.get("title"), subtitle=info.get("subtitle"), authors=authors_of(as_list(info.get("authors"))),
            position=membership.get("orderNumber"), details=printed,
            compilation="OMNIBUS" in kind or len(issues) > 1,
            released=info.get("publishedDate"), language=iso639_1(info.get("language")),
            identifiers=identifiers, cover_url=cover.replace("&edge=curl", "") if cover else None,
            remarks=remarks, where=where)


def _series_ids(volume: dict) -> list[str]:
    found = []
    for entry in as_list(as_dict(as_dict(volume.get("volumeInfo")).get("seriesInfo")).get("volumeSeries")):
        series_id = as_dict(entry).get("seriesId")
        if isinstance(series_id, str) and series_id and series_id not in found:
            found.append(series_id)
    return found


def _whole_positions(entries: list[ListedBook]) -> int:
    """How many whole-number positions the single (non-omnibus) volumes take: Hardcover's measure."""
    return len({e.sort_key for e in entries
                if not e.is_compilation and e.sort_key is not None and float(e.sort_key).is_integer()})
