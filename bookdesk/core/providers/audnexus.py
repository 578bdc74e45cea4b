"""Audnexus: Audible's audiobook records by ASIN, with narrators, runtime, series and chapters.

Audnexus looks up by ASIN only (it has no title search), so without an ASIN it has nothing to say.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.errors import NotFound
from bookdesk.core.net.rate_limiter import AUDNEXUS_RATE
from bookdesk.core.providers.base import Candidate, Query
from bookdesk.core.providers.candidates import build_candidate
from bookdesk.core.providers.endpoints import base_url as resolve_url
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.providers.fields import (
    as_dict,
    as_list,
    asin,
    date_text,
    https,
    isbn13,
    people,
    series_ref,
)
from bookdesk.core.providers.languages import iso639_1
from bookdesk.core.providers.sanitise import clean_field, plain_text

DEFAULT_URL = "https://api.audnex.us"
URL_ENV = "BOOKDESK_AUDNEXUS_URL"
MAX_CHAPTERS = 2000
_AUDIBLE_SITES = {"us": "audible.com", "uk": "audible.co.uk", "ca": "audible.ca", "au": "audible.com.au",
                  "de": "audible.de", "fr": "audible.fr", "it": "audible.it", "es": "audible.es", "in": "audible.in",
                  "jp": "audible.co.jp"}


@dataclass(frozen=True, slots=True)
class Chapter:
    title: str
    start_seconds: float
    length_seconds: float


class AudnexusProvider:
    name = "audnexus"
    label = "Audnexus"

    def __init__(self, client: HttpClient, base_url: str | None = None, *, region: str = "us") -> None:
        self.client = client
        self.base_url = resolve_url(base_url, URL_ENV, DEFAULT_URL)
        self.region = region.lower() if region.lower() in _AUDIBLE_SITES else "us"
        self._key = rate_key(self.base_url)
        client.limiter.ensure_rate(self._key, AUDNEXUS_RATE)

    def configured(self) -> bool:
        return True

    def asks_about(self, query: Query) -> bool:
        return bool(asin(query.asin))  # it knows audiobooks by ASIN only

    async def lookup(self, query: Query, *, user_waiting: bool = False) -> list[Candidate]:
        """The audiobook with ``query.asin``: one request; an empty list without an ASIN or when unknown."""
        code = asin(query.asin)
        if not code:
            return []
        try:
            record = await self.client.get_json(f"{self.base_url}/books/{code}", params={"region": self.region},
                                                user_waiting=user_waiting, service=self.label, rate_key=self._key)
        except NotFound:
            return []
        candidate = self._candidate(as_dict(record), code)
        return [candidate] if candidate else []

    async def chapters(self, asin_code: str, *, user_waiting: bool = False) -> list[Chapter]:
        """The chapters of the audiobook ``asin_code`` (empty when unknown)."""
        code = asin(asin_code)
        if not code:
            return []
        try:
            answer = await self.client.get_json(f"{self.base_url}/books/{code}/chapters",
                                                params={"region": self.region}, user_waiting=user_waiting,
                                                service=self.label, rate_key=self._key)
        except NotFound:
            return []
        found = []
        for entry in as_list(as_dict(answer).get("chapters"))[:MAX_CHAPTERS]:
            entry = as_dict(entry)
            start, length = entry.get("startOffsetMs"), entry.get("lengthMs")
            if not isinstance(start, int | float) or not isinstance(length, int | float) or start < 0 or length < 0:
                continue
            found.append(Chapter(clean_field(entry.get("title"), 300) or f"Chapter {len(found) + 1}",
                                 start / 1000, length / 1000))
        return found

    def _candidate(self, record: dict, code: str) -> Candidate | None:
        title = clean_field(record.get("title"))
        if not title:
            return None
        subtitle = clean_field(record.get("subtitle"))
        identifiers = {"asin": asin(record.get("asin")) or code}
        isbn = isbn13(record.get("isbn"))
        if isbn:
            identifiers["isbn"] = isbn
        series = []
        secondary = record.get("seriesSecondary")
        # Audnexus sends seriesSecondary as one object; some mirrors send a list. Take either.
        for entry in [record.get("seriesPrimary"), *(as_list(secondary) or [secondary])]:
            entry = as_dict(entry)
            ref = series_ref(entry.get("name"), entry.get("position"))
            if ref is not None and all(ref.name != s.name for s in series):
                series.append(ref)
        minutes = record.get("runtimeLengthMin")
        duration = float(minutes) * 60 if isinstance(minutes, int | float) and 0 < minutes < 100_000 else None
        return build_candidate(
            provider=self.name,
            provider_id=identifiers["asin"],
            title=title,
            subtitle=subtitle,
            contributors=people(as_dict(a).get("name") for a in as_list(record.get("authors")))
            + people((as_dict(n).get("name") for n in as_list(record.get("narrators"))), role="narrator"),
            series=series,
            identifiers=identifiers,
            description=plain_text(record.get("summary")) or plain_text(record.get("description")),
            language=iso639_1(record.get("language")),
            # The book's copyright year is when it first came out; releaseDate is when this recording did
            # (the Sorcerer's Stone: 1997 and 2015).
            published=date_text(record.get("copyright")),
            released=date_text(record.get("releaseDate")),
            publisher=clean_field(record.get("publisherName")),
            cover_url=https(record.get("image")),
            duration_seconds=duration,
            url=f"https://www.{_AUDIBLE_SITES[self.region]}/pd/{identifiers['asin']}",
        )
