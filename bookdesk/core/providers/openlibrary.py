"""Open Library: works found through ``search.json``, one request per lookup.

Its policy asks clients to name themselves in the User-Agent with a way to reach them (the worker's
client does), to stay under 3 requests a second, to trim answers with ``fields=``, and to look
ISBNs up in batches where possible (``bulk_isbn``).

A search answer's ``author_name`` pools the contributors of every edition of a work, audiobook
narrators included (Shadows of Self comes back as by Brandon Sanderson and Michael Kramer). The
work record (``/works/ID.json``) names the work's own authors, as ``/authors/OL...A`` keys; the search
answer's ``author_key``/``author_name`` pairs give those keys their names without another request (a
key no answer named is read from its ``/authors/`` record, at most ``AUTHORS_NAMED`` a work).
So a work the search credits to several people is checked against its record (one more request,
cached like any answer, for at most ``WORKS_CHECKED`` works a lookup); a work credited to one person
is not. The record also carries the description, which ``details`` fetches for any work.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.errors import NetworkError, NotFound
from bookdesk.core.net.rate_limiter import (
    OPENLIBRARY_COVER_IDS_RATE,
    OPENLIBRARY_COVERS_BY_ISBN,
    OPENLIBRARY_COVERS_RATE,
    OPENLIBRARY_RATE,
)
from bookdesk.core.providers.base import Candidate, Query
from bookdesk.core.providers.candidates import build_candidate
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
SEARCH_FIELDS = "key,title,subtitle,author_name,author_key,first_publish_year,isbn,cover_i,language"
BULK_CHUNK = 20  # ISBNs per batched search: keeps the URL short and the answer small
WORKS_CHECKED = 3  # work records read per lookup to tell a work's authors from its editions' narrators
MAX_KNOWN_AUTHORS = 20_000  # author keys remembered with their names
AUTHORS_NAMED = 3  # author records read for a work whose author keys no search answer named
# Open Library descriptions are Markdown: "([source][1])" and a line "[1]: https://..." cite where the
# text came from; they are not part of it.
_MARKDOWN_REFERENCE = re.compile(r"\s*\(?\[[^\]\n]{1,80}\]\[\d{1,3}\]\)?")
_MARKDOWN_LINK_LINE = re.compile(r"^[ \t]*\[\d{1,3}\]:[ \t]*\S+[ \t]*$", re.MULTILINE)


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
        # Author keys ("OL1394865A") with the names search answers gave them.
        self._author_names: dict[str, str] = {}
        client.limiter.ensure_rate(self._key, OPENLIBRARY_RATE)
        ensure_cover_rates(client, self.covers_url)

    def configured(self) -> bool:
        return True

    def asks_about(self, query: Query) -> bool:
        return True  # a title, an author or an ISBN: every book is a question for it

    async def lookup(self, query: Query, *, user_waiting: bool = False) -> list[Candidate]:
        """By ISBN when there is one (a search on ``isbn:``), else, or when that finds nothing, by title
        and first author. At most two requests."""
        isbn = isbn13(query.isbn)
        if isbn:
            docs = await self._search({"q": f"isbn:{isbn}", "limit": self.limit}, user_waiting)
            found = [c for c in (self._candidate(d, query, isbn) for d in docs) if c]
            if found:
                return await self._checked_authors(found, user_waiting)
        title = clean_field(query.title, 200)
        if not title:
            return []
        params: dict[str, object] = {"title": title, "limit": self.limit}
        author = first_author(query.authors)
        if author:
            params["author"] = author
        docs = await self._search(params, user_waiting)
        return await self._checked_authors([c for c in (self._candidate(d, query) for d in docs) if c],
                                           user_waiting)

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
        """``candidate`` with what its work record says: the work's authors (where their keys have
        names), its description, and a cover if it had none. One more request."""
        record = await self._work_record(candidate, user_waiting)
        if record is None:
            return candidate
        await self._name_authors(record, user_waiting)
        return self._with_work(candidate, record)

    # ----- inside ------------------------------------------------------------------------

    async def _checked_authors(self, candidates: list[Candidate], user_waiting: bool) -> list[Candidate]:
        """Candidates whose search answer credits several people, checked against their work records."""
        checked = 0
        out = []
        for candidate in candidates:
            if len(candidate.authors) > 1 and checked < WORKS_CHECKED:
                checked += 1
                try:
                    record = await self._work_record(candidate, user_waiting)
                    if record is not None:
                        await self._name_authors(record, user_waiting)
                except NetworkError as exc:  # the search answer is still worth having unchecked
                    log.info("work record from Open Library unavailable: %s", exc.message)
                    record = None
                if record is not None:
                    candidate = self._with_work(candidate, record)
            out.append(candidate)
        return out

    async def _work_record(self, candidate: Candidate, user_waiting: bool) -> dict | None:
        work = candidate.identifiers.get("openlibrary") or candidate.provider_id
        if not work:
            return None
        try:
            return as_dict(await self.client.get_json(f"{self.base_url}/works/{work}.json", user_waiting=user_waiting,
                                                      service=self.label, rate_key=self._key))
        except NotFound:
            return None

    async def _name_authors(self, record: dict, user_waiting: bool) -> None:
        """Read the names of the work's authors no search answer named from their own records."""
        unknown = [k for k in _work_author_keys(record) if k not in self._author_names][:AUTHORS_NAMED]
        for key in unknown:
            try:
                author = as_dict(await self.client.get_json(f"{self.base_url}/authors/{key}.json",
                                                            user_waiting=user_waiting, service=self.label,
                                                            rate_key=self._key))
            except NotFound:
                continue
            name = clean_field(author.get("name"), 200)
            if name and len(self._author_names) < MAX_KNOWN_AUTHORS:
                self._author_names[key] = name

    def _with_work(self, candidate: Candidate, record: dict) -> Candidate:
        changes: dict[str, object] = {}
        keys = _work_author_keys(record)
        names = [self._author_names[k] for k in keys if k in self._author_names]
        if len(names) < len(keys):  # an author still without a name: keep the search's names
            names = []
        if names:  # the work's authors, and whoever else the candidate names in another role
            changes["contributors"] = people(names) + [c for c in candidate.contributors if c.role != "author"]
        description = record.get("description")
        if isinstance(description, dict):  # {"type": "/type/text", "value": "..."}
            description = description.get("value")
        text = plain_text(_without_references(description))
        if text:
            changes["description"] = text
        covers = [c for c in as_list(record.get("covers")) if isinstance(c, int) and c > 0]
        if not candidate.cover_url and covers:
            changes["cover_url"] = self._cover_by_id(covers[0])
        return dataclasses.replace(candidate, **changes) if changes else candidate

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
        self._remember_authors(doc)
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
        return build_candidate(
            provider=self.name,
            provider_id=work,
            title=title,
            subtitle=subtitle,
            contributors=people(as_list(doc.get("author_name"))),
            identifiers=identifiers,
            language=_language(as_list(doc.get("language")), query.language),
            published=date_text(doc.get("first_publish_year")),  # the work's, over all its editions
            cover_url=cover_url,
            url=f"{self.base_url}/works/{work}",
        )

    def _cover_by_id(self, cover_id: int) -> str:
        return f"{self.covers_url}/b/id/{cover_id}-L.jpg"

    def _remember_authors(self, doc: dict) -> None:
        """Keep the names a search answer gives its author keys: the two lists run in step."""
        keys, names = as_list(doc.get("author_key")), as_list(doc.get("author_name"))
        if len(keys) != len(names) or len(self._author_names) >= MAX_KNOWN_AUTHORS:
            return
        for key, name in zip(keys, names, strict=True):
            text = clean_field(name, 200)
            if isinstance(key, str) and key and text:
                self._author_names[key] = text


def _work_author_keys(record: dict) -> list[str]:
    """ "OL1394865A" for each author a work record lists, in its order: {"author": {"key": "/authors/OL1394865A"}};
    older records write {"author": "/authors/..."} or {"key": "/authors/..."}."""
    keys = []
    for entry in as_list(record.get("authors")):
        entry = as_dict(entry)
        author = entry.get("author")
        key = as_dict(author).get("key") if isinstance(author, dict) else author or entry.get("key")
        if isinstance(key, str) and key.startswith("/authors/"):
            keys.append(key.rsplit("/", 1)[-1])
    return keys


def _without_references(description: object) -> object:
    if not isinstance(description, str):
        return description
    return _MARKDOWN_LINK_LINE.sub("", _MARKDOWN_REFERENCE.sub("", description))


def _language(codes: list, wanted: str | None) -> str | None:
    """A work lists the languages of all its editions: trust a single one, or the one asked for."""
    marc = [c for c in codes if isinstance(c, str)]
    if wanted and marc_codes(wanted.lower()) & set(marc):
        return wanted.lower()
    if len(marc) == 1:
        return iso639_1(marc[0])
    return None


def ensure_cover_rates(client: HttpClient, covers_url: str) -> None:
    """Open Library's covers limit only those asked by ISBN (and other outside ids): covers by cover id
    go at a pace of their own."""
    client.limiter.ensure_rate(rate_key(covers_url), OPENLIBRARY_COVER_IDS_RATE)
    client.limiter.ensure_rate(rate_key(covers_url + OPENLIBRARY_COVERS_BY_ISBN), OPENLIBRARY_COVERS_RATE)
