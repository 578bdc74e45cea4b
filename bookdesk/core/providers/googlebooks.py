"""Google Books: ``volumes`` searched by ISBN, else by title and author; an API key is optional.

What Google can and cannot tell:

- A volume is one edition (mostly the ebook Google sells): its ``publishedDate`` is that edition's,
  so it is the candidate's ``released``, never the book's first publication, which Google does not
  give.
- Series: ``seriesInfo`` (a series id and the position) comes with comics and manga in a volume
  search, but for prose only on ``volumes/{id}`` asked with ``includeNonComicsSeries=true``, one
  request per volume, and even then only for series Google sells as such. Novels found by search
  (recorded: InCryptid books 2 and 3) carry none. So the lookup does not count on Google for a
  novel's series: it reads ``seriesInfo`` when a volume has it (naming the series through
  ``series/get``, one more request for all of a lookup's series, kept a month in the cache) and a
  subtitle such as "Book One of the Stormlight Archive" (see ``candidates``), and spends no request
  per volume asking for more; Hardcover and Audnexus are the series sources that matter.

Without a key Google shares a small anonymous quota; a used-up daily quota is reported and the host
left alone for a while (see HttpClient).
"""

from __future__ import annotations

import logging

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.errors import NetworkError, NotFound
from bookdesk.core.net.rate_limiter import GOOGLEBOOKS_RATE
from bookdesk.core.providers.base import Candidate, Query
from bookdesk.core.providers.book_kinds import looks_like_companion
from bookdesk.core.providers.candidates import build_candidate
from bookdesk.core.providers.endpoints import base_url as resolve_url
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.providers.fields import (
    as_dict,
    as_list,
    date_text,
    first_author,
    https,
    isbn13,
    people,
    series_ref,
)
from bookdesk.core.providers.languages import iso639_1
from bookdesk.core.providers.sanitise import clean_field, plain_text

log = logging.getLogger(__name__)

DEFAULT_URL = "https://www.googleapis.com/books/v1"
URL_ENV = "BOOKDESK_GOOGLEBOOKS_URL"
SERIES_MAX_AGE = 30 * 86400.0
_STUDY_CATEGORIES = ("study aids",)


class GoogleBooksProvider:
    name = "googlebooks"
    label = "Google Books"

    def __init__(self, client: HttpClient, base_url: str | None = None, *, api_key: str | None = None,
                 limit: int = 5) -> None:
        self.client = client
        self.base_url = resolve_url(base_url, URL_ENV, DEFAULT_URL)
        self.limit = limit
        self._api_key = api_key.strip() if api_key and api_key.strip() else None
        self._key = rate_key(self.base_url)
        client.limiter.ensure_rate(self._key, GOOGLEBOOKS_RATE)
        # Series names already asked for: the same series comes back with book after book of a job.
        self._known_series: dict[str, str | None] = {}

    def configured(self) -> bool:
        return True  # the key only raises the quota

    def asks_about(self, query: Query) -> bool:
        return True  # a title, an author or an ISBN: every book is a question for it

    async def lookup(self, query: Query, *, user_waiting: bool = False) -> list[Candidate]:
        """``q=isbn:...`` when there is an ISBN, else (or when that finds nothing) ``intitle:... inauthor:...``;
        one more request when a result belongs to a series. At most three requests, usually one."""
        isbn = isbn13(query.isbn)
        volumes: list[dict] = []
        if isbn:
            volumes = await self._volumes(f"isbn:{isbn}", user_waiting)
        if not volumes:
            title = clean_field(query.title, 200)
            if not title:
                return []
            terms = f"intitle:{title}"
            author = first_author(query.authors)
            if author:
                terms += f" inauthor:{author}"
            volumes = await self._volumes(terms, user_waiting)
        names = await self._series_names(volumes, user_waiting)
        return [c for c in (self._candidate(v, names) for v in volumes) if c]

    # ----- inside ------------------------------------------------------------------------

    def _params(self, **params: object) -> dict[str, object]:
        if self._api_key:
            params["key"] = self._api_key
        return params

    async def _volumes(self, terms: str, user_waiting: bool) -> list[dict]:
        try:
            answer = await self.client.get_json(
                f"{self.base_url}/volumes", params=self._params(q=terms, maxResults=self.limit, printType="books"),
                user_waiting=user_waiting, service=self.label, rate_key=self._key)
        except NotFound:
            return []
        return [v for v in as_list(as_dict(answer).get("items")) if isinstance(v, dict)][: self.limit]

    async def _series_names(self, volumes: list[dict], user_waiting: bool) -> dict[str, str]:
        ids = []
        for volume in volumes:
            for entry in as_list(as_dict(as_dict(volume.get("volumeInfo")).get("seriesInfo")).get("volumeSeries")):
                series_id = as_dict(entry).get("seriesId")
                if isinstance(series_id, str) and series_id and series_id not in ids:
                    ids.append(series_id)
        unknown = [i for i in ids if i not in self._known_series]
        if unknown:
            try:
                answer = await self.client.get_json(
                    f"{self.base_url}/series/get", params=self._params(series_id=unknown[:10]),
                    user_waiting=user_waiting, max_age=SERIES_MAX_AGE, service=self.label, rate_key=self._key)
            except NetworkError as exc:  # the volumes are still worth having without their series' names
                log.info("series names from Google Books unavailable: %s", exc.message)
                answer = None
            else:
                self._known_series.update(dict.fromkeys(unknown[:10]))  # asked: unnamed unless the answer says
            for series in as_list(as_dict(answer).get("series")):
                series = as_dict(series)
                series_id, title = series.get("seriesId"), clean_field(series.get("title"), 300)
                if isinstance(series_id, str) and title:
                    self._known_series[series_id] = title
        return {i: name for i in ids if (name := self._known_series.get(i))}

    def _candidate(self, volume: dict, series_names: dict[str, str]) -> Candidate | None:
        volume_id = volume.get("id")
        info = as_dict(volume.get("volumeInfo"))
        title = clean_field(info.get("title"))
        if not isinstance(volume_id, str) or not volume_id or not title:
            return None
        subtitle = clean_field(info.get("subtitle"))
        identifiers = {"google": volume_id}
        for kind in ("ISBN_13", "ISBN_10"):
            for entry in as_list(info.get("industryIdentifiers")):
                entry = as_dict(entry)
                if entry.get("type") == kind and "isbn" not in identifiers:
                    normal = isbn13(entry.get("identifier"))
                    if normal:
                        identifiers["isbn"] = normal
        links = as_dict(info.get("imageLinks"))
        cover = https(links.get("thumbnail") or links.get("smallThumbnail"))
        if cover:
            cover = cover.replace("&edge=curl", "")
        categories = " ".join(str(c) for c in as_list(info.get("categories"))).lower()
        return build_candidate(
            provider=self.name,
            provider_id=volume_id,
            title=title,
            subtitle=subtitle,
            contributors=people(as_list(info.get("authors"))),
            series=self._series(info, series_names),
            identifiers=identifiers,
            description=plain_text(info.get("description")),
            language=iso639_1(info.get("language")),
            # A volume is one edition: its date is that edition's, not the book's first publication,
            # which Google does not give.
            released=date_text(info.get("publishedDate")),
            publisher=clean_field(info.get("publisher")),
            cover_url=cover,
            companion=looks_like_companion(title, subtitle) or any(c in categories for c in _STUDY_CATEGORIES),
            url=https(info.get("canonicalVolumeLink") or info.get("infoLink")),
        )

    @staticmethod
    def _series(info: dict, names: dict[str, str]) -> list:
        series_info = as_dict(info.get("seriesInfo"))
        printed = series_info.get("bookDisplayNumber")
        refs = []
        for entry in as_list(series_info.get("volumeSeries")):
            entry = as_dict(entry)
            name = names.get(entry.get("seriesId")) if isinstance(entry.get("seriesId"), str) else None
            position = printed if printed not in (None, "") else entry.get("orderNumber")
            ref = series_ref(name, position) if name else None
            if ref is not None:
                refs.append(ref)
        return refs
