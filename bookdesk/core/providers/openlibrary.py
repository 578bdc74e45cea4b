"""Open Library: works found through ``search.json``, one request per lookup.

Its policy asks clients to name themselves in the User-Agent with a way to reach them (the worker's
client does), to stay under 3 requests a second, to trim answers with ``fields=``, and to look
ISBNs up in batches where possible (``bulk_isbn``). A work's description costs a second request,
so it is fetched only when asked for (``details``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.errors import NotFound
from bookdesk.core.net.rate_limiter import OPENLIBRARY_COVERS_RATE, OPENLIBRARY_RATE
from bookdesk.core.providers.base import Candidate, Query
from bookdesk.core.providers.book_kinds import looks_like_companion, looks_like_compilation
from bookdesk.core.providers.endpoints import base_url as resolve_url
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.providers.fields import as_dict, as_list, date_text, first_author, isbn13, people
from bookdesk.core.providers.languages import iso639_1, marc_codes
from bookdesk.core.providers.sanitise import clean_field, plain_text

log = logging.getLogger(__name__)

DEFAULT_URL = "https://openlibrary.org"
DEFAULT_COVERS_URL = "https://covers.openlibrary.org"
URL_ENV = "BOOKDESK_OPENLIBRARY_URL"
COVERS_URL_ENV = "BOOKDESK_OPENLIBRARY_COVERS_URL"
# Only what a candidate needs: a work's full record carries hundreds of fields.
SEARCH_FIELDS = "key,title,subtitle,author_name,first_publish_year,isbn,cover_i,language"
BULK_CHUNK = 20  # ISBNs per batched search: keeps the URL short and the answer small


class OpenLibraryProvider:
    name = "openlibrary"
    label = "Open Library"

    def __init__(self, client: HttpClient, base_url: str | None = None, *, covers_url: str | None = None,
                 limit: int = 5) -> None:
        self.client = client
        self.base_url = resolve_url(base_url, URL_ENV, DEFAULT_URL)
        self.covers_url = resolve_url(covers_url, COVERS_URL_ENV, DEFAULT_COVERS_URL)
        self.limit = limit
        self._key = rate_key(self.base_url)
        client.limiter.ensure_rate(self._key, OPENLIBRARY_RATE)
        client.limiter.ensure_rate(rate_key(self.covers_url), OPENLIBRARY_COVERS_RATE)

    def configured(self) -> bool:
        return True

    async def lookup(self, query: Query, *, user_waiting: bool = False) -> list[Candidate]:
        """By ISBN when there is one (a search on ``isbn:``), else, or when that finds nothing, by title
        and first author. At most two requests."""
        isbn = isbn13(query.isbn)
        if isbn:
            docs = await self._search({"q": f"isbn:{isbn}", "limit": self.limit}, user_waiting)
            found = [c for c in (self._candidate(d, query, isbn) for d in docs) if c]
            if found:
                return found
        title = clean_field(query.title, 200)
        if not title:
            return []
        params: dict[str, object] = {"title": title, "limit": self.limit}
        author = first_author(query.authors)
        if author:
            params["author"] = author
        docs = await self._search(params, user_waiting)
        return [c for c in (self._candidate(d, query) for d in docs) if c]

    async def bulk_isbn(self, isbns: Iterable[str], *, user_waiting: bool = False) -> dict[str, list[Candidate]]:
        """Candidates for many ISBNs at once (``q=isbn:A OR isbn:B ...``), keyed by the ISBNs as given;
        an ISBN nothing was found for (or that is not valid) maps to an empty list."""
        given = list(dict.fromkeys(isbns))
        result: dict[str, list[Candidate]] = {isbn: [] for isbn in given}
        wanted: dict[str, list[str]] = {}
        for isbn in given:
            normal = isbn13(isbn)
            if normal:
                wanted.setdefault(normal, []).append(isbn)
        normals = sorted(wanted)
        for start in range(0, len(normals), BULK_CHUNK):
            chunk = normals[start:start + BULK_CHUNK]
            query = " OR ".join(f"isbn:{isbn}" for isbn in chunk)
            docs = await self._search({"q": query, "limit": min(100, len(chunk) * 3)}, user_waiting)
            for doc in docs:
                held = {isbn13(x) for x in as_list(as_dict(doc).get("isbn"))}
                for isbn in chunk:
                    if isbn in held:
                        candidate = self._candidate(doc, Query(isbn=isbn), isbn)
                        if candidate is not None:
                            for original in wanted[isbn]:
                                result[original].append(candidate)
        return result

    async def details(self, candidate: Candidate, *, user_waiting: bool = False) -> Candidate:
        """``candidate`` with its work's description (and a cover if it had none): one more request."""
        work = candidate.identifiers.get("openlibrary") or candidate.provider_id
        if not work:
            return candidate
        try:
            record = as_dict(await self.client.get_json(f"{self.base_url}/works/{work}.json", user_waiting=user_waiting,
                                                        service=self.label, rate_key=self._key))
        except NotFound:
            return candidate
        description = record.get("description")
        if isinstance(description, dict):  # {"type": "/type/text", "value": "..."}
            description = description.get("value")
        changes: dict[str, object] = {}
        text = plain_text(description)
        if text:
            changes["description"] = text
        covers = [c for c in as_list(record.get("covers")) if isinstance(c, int) and c > 0]
        if not candidate.cover_url and covers:
            changes["cover_url"] = self._cover_by_id(covers[0])
        return dataclasses.replace(candidate, **changes) if changes else candidate

    # ----- inside ------------------------------------------------------------------------

    async def _search(self, params: dict[str, object], user_waiting: bool) -> list[dict]:
        try:
            answer = await self.client.get_json(f"{self.base_url}/search.json",
                                                params={**params, "fields": SEARCH_FIELDS},
                                                user_waiting=user_waiting, service=self.label, rate_key=self._key)
        except NotFound:
            return []
        return [d for d in as_list(as_dict(answer).get("docs")) if isinstance(d, dict)]

    def _candidate(self, doc: dict, query: Query, isbn: str | None = None) -> Candidate | None:
        key = doc.get("key")
        work = key.rsplit("/", 1)[-1] if isinstance(key, str) else ""
        title = clean_field(doc.get("title"))
        if not title or not work:
            return None
        subtitle = clean_field(doc.get("subtitle"))
        identifiers = {"openlibrary": work}
        if isbn:
            identifiers["isbn"] = isbn
        cover = doc.get("cover_i")
        if isinstance(cover, int) and cover > 0:
            cover_url = self._cover_by_id(cover)
        elif isbn:
            cover_url = f"{self.covers_url}/b/isbn/{isbn}-L.jpg?default=false"
        else:
            cover_url = None
        return Candidate(
            provider=self.name,
            provider_id=work,
            title=title,
            subtitle=subtitle,
            contributors=people(as_list(doc.get("author_name"))),
            identifiers=identifiers,
            language=_language(as_list(doc.get("language")), query.language),
            published=date_text(doc.get("first_publish_year")),
            cover_url=cover_url,
            is_compilation=looks_like_compilation(title, subtitle),
            is_companion=looks_like_companion(title, subtitle),
            url=f"{self.base_url}/works/{work}",
        )

    def _cover_by_id(self, cover_id: int) -> str:
        return f"{self.covers_url}/b/id/{cover_id}-L.jpg"


def _language(codes: list, wanted: str | None) -> str | None:
    """A work lists the languages of all its editions: trust a single one, or the one asked for."""
    marc = [c for c in codes if isinstance(c, str)]
    if wanted and marc_codes(wanted.lower()) & set(marc):
        return wanted.lower()
    if len(marc) == 1:
        return iso639_1(marc[0])
    return None
