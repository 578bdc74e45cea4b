"""Hardcover: GraphQL with the user's token; books with their editions, series positions and the
``compilation`` flag.

By identifier, one ``books`` query filtered on an edition's ISBN-13 or ASIN; else one ``search``
(Hardcover's Typesense index, the same the website uses). Queries stay within the API's depth
limit of three. 60 requests a minute per token.
"""

from __future__ import annotations

import logging
import re

import httpx

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.errors import NetworkError, NotFound
from bookdesk.core.net.rate_limiter import HARDCOVER_RATE
from bookdesk.core.providers.base import Candidate, Query
from bookdesk.core.providers.candidates import build_candidate
from bookdesk.core.providers.endpoints import base_url as resolve_url
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.providers.fields import (
    as_dict,
    as_list,
    asin,
    date_text,
    first_author,
    https,
    isbn13,
    people,
    series_ref,
)
from bookdesk.core.providers.sanitise import clean_field, plain_text
from bookdesk.data.catalog_rows import Contributor

log = logging.getLogger(__name__)

DEFAULT_URL = "https://api.hardcover.app/v1/graphql"
URL_ENV = "BOOKDESK_HARDCOVER_URL"
SITE = "https://hardcover.app"

_BOOK_FIELDS = """
    id title subtitle slug description release_date release_year compilation
    image { url }
    contributions { contribution author { name } }
    book_series { position details series { name primary_books_count } }
"""
# The identifier's field name is one of two fixed words, never user text; the value is a variable.
_BY_IDENTIFIER = """
query BookByIdentifier($value: String!, $limit: Int!) {
  books(where: {editions: {%(field)s: {_eq: $value}}}, limit: $limit, order_by: {users_count: desc}) {
    %(book)s
    editions(where: {%(field)s: {_eq: $value}}, limit: 1) { isbn_13 asin }
  }
}
"""
_SEARCH = """
query SearchBooks($query: String!, $perPage: Int!) {
  search(query: $query, query_type: "Book", per_page: $perPage, page: 1) { results }
}
"""
_REFUSED_CODES = frozenset({"invalid-jwt", "access-denied", "invalid-headers"})
# A GraphQL document as tokens: strings (which may hold braces) whole, names, and the punctuation
# that decides where a selection starts.
_GRAPHQL_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|\.\.\.|[{}():]')


class HardcoverProvider:
    name = "hardcover"
    label = "Hardcover"

    def __init__(self, client: HttpClient, base_url: str | None = None, *, token: str | None = None,
                 limit: int = 5) -> None:
        self.client = client
        self.base_url = resolve_url(base_url, URL_ENV, DEFAULT_URL)
        self.limit = limit
        self._token = clean_token(token)
        self._key = rate_key(self.base_url)
        client.limiter.ensure_rate(self._key, HARDCOVER_RATE)

    def configured(self) -> bool:
        return self._token is not None

    def asks_about(self, query: Query) -> bool:
        return True  # a title, an author or an ISBN: every book is a question for it

    def __repr__(self) -> str:  # never the token
        return f"HardcoverProvider({self.base_url!r}, configured={self.configured()})"

    async def lookup(self, query: Query, *, user_waiting: bool = False) -> list[Candidate]:
        """By the ISBN-13 or ASIN of an edition, else (or when that finds nothing) by a search on title
        and first author. At most two requests."""
        if not self.configured():
            return []
        for field, value in (("isbn_13", isbn13(query.isbn)), ("asin", asin(query.asin))):
            if value:
                data = await self._graphql(_BY_IDENTIFIER % {"field": field, "book": _BOOK_FIELDS},
                                           {"value": value, "limit": self.limit}, user_waiting)
                found = [c for c in (self._from_book(b) for b in as_list(data.get("books"))) if c]
                if found:
                    return found
        title = clean_field(query.title, 200)
        if not title:
            return []
        author = first_author(query.authors)
        text = f"{title} {author}" if author else title
        data = await self._graphql(_SEARCH, {"query": text, "perPage": self.limit}, user_waiting)
        results = as_dict(as_dict(data.get("search")).get("results"))
        documents = [as_dict(hit).get("document") for hit in as_list(results.get("hits"))]
        return [c for c in (self._from_document(d) for d in documents if isinstance(d, dict)) if c][: self.limit]

    # ----- inside ------------------------------------------------------------------------

    async def _graphql(self, query: str, variables: dict, user_waiting: bool) -> dict:
        return await graphql(self.client, self.base_url, self._token, self._key, query, variables,
                             user_waiting=user_waiting, service=self.label)

    def _from_book(self, book: dict) -> Candidate | None:
        """A candidate from a ``books`` row (the GraphQL schema's shape)."""
        book = as_dict(book)
        book_id, title = book.get("id"), clean_field(book.get("title"))
        if not isinstance(book_id, int | str) or not title:
            return None
        identifiers = {"hardcover": str(book_id)}
        edition = as_dict(next(iter(as_list(book.get("editions"))), None))
        if isbn13(edition.get("isbn_13")):
            identifiers["isbn"] = isbn13(edition.get("isbn_13"))
        if asin(edition.get("asin")):
            identifiers["asin"] = asin(edition.get("asin"))
        series = []
        for entry in as_list(book.get("book_series")):
            entry = as_dict(entry)
            position = entry.get("details") or entry.get("position")
            ref = series_ref(as_dict(entry.get("series")).get("name"), position)
            if ref is not None and all(ref.name != s.name for s in series):
                series.append(ref)
        return self._candidate(book, title, identifiers, self._contributors(book.get("contributions")), series)

    def _from_document(self, document: dict) -> Candidate | None:
        """A candidate from a search hit (the Typesense document's shape)."""
        book_id, title = document.get("id"), clean_field(document.get("title"))
        if not isinstance(book_id, int | str) or not title:
            return None
        contributors = self._contributors(document.get("contributions"))
        if not contributors:
            contributors = people(as_list(document.get("author_names")))
        featured = as_dict(document.get("featured_series"))
        ref = series_ref(as_dict(featured.get("series")).get("name"),
                         featured.get("details") or featured.get("position"))
        return self._candidate(document, title, {"hardcover": str(book_id)}, contributors, [ref] if ref else [])

    def _candidate(self, record: dict, title: str, identifiers: dict[str, str], contributors: list[Contributor],
                   series: list) -> Candidate:
        subtitle = clean_field(record.get("subtitle"))
        slug = record.get("slug")
        return build_candidate(
            provider=self.name,
            provider_id=identifiers["hardcover"],
            title=title,
            subtitle=subtitle,
            contributors=contributors,
            series=series,
            identifiers=identifiers,
            description=plain_text(record.get("description")),
            # A Hardcover book is the work, its release date the first edition's.
            published=date_text(record.get("release_date")) or date_text(record.get("release_year")),
            cover_url=https(as_dict(record.get("image")).get("url")),
            compilation=record.get("compilation") is True,
            url=f"{SITE}/books/{slug}" if isinstance(slug, str) and slug.replace("-", "").isalnum() else None,
        )

    @staticmethod
    def _contributors(contributions: object) -> list[Contributor]:
        authors, others = [], []
        for entry in as_list(contributions):
            entry = as_dict(entry)
            name = as_dict(entry.get("author")).get("name")
            kind = entry.get("contribution")
            role = "author" if not kind or str(kind).lower() == "author" else str(kind).strip().lower()[:40]
            (authors if role == "author" else others).extend(people([name], role=role))
        return authors + others


async def graphql(client: HttpClient, url: str, token: str | None, key: str, query: str, variables: dict, *,
                  user_waiting: bool, service: str = "Hardcover") -> dict:
    """One Hardcover GraphQL request: its ``data``, or a NetworkError saying what Hardcover refused."""
    host = httpx.URL(url).host
    try:
        answer = as_dict(await client.post_json(
            url, body={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"},
            user_waiting=user_waiting, service=service, rate_key=key, cost=top_level_fields(query)))
    except NotFound:
        return {}
    errors = [as_dict(e) for e in as_list(answer.get("errors"))]
    if errors:
        codes = {as_dict(e.get("extensions")).get("code") for e in errors}
        if codes & _REFUSED_CODES:
            raise NetworkError("Hardcover refused the token; check it in Settings → Metadata Providers.", host=host,
                               retryable=False)
        message = clean_field(errors[0].get("message"), 300) or "an unknown error"
        raise NetworkError(f"Hardcover could not answer the query: {message}", host=host, retryable=True)
    if "error" in answer and "data" not in answer:  # {"error": "Throttled"} and kin, sent with a 200
        message = clean_field(answer.get("error"), 300) or "an unknown error"
        raise NetworkError(f"Hardcover could not answer: {message}", host=host, retryable=True)
    return as_dict(answer.get("data"))


def top_level_fields(query: str) -> int:
    """How many top-level fields ``query`` selects (at least one): Hardcover counts each against its
    limit of requests, so a query asking for a series and its books at once costs two."""
    tokens = _GRAPHQL_TOKEN.findall(query)
    count = braces = parens = 0
    for i, token in enumerate(tokens):
        if token == "{":
            braces += 1
        elif token == "}":
            braces -= 1
        elif token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif braces == 1 and parens == 0 and (token[0].isalpha() or token[0] == "_"):
            aliased = i + 1 < len(tokens) and tokens[i + 1] == ":"
            if not aliased and not (i > 0 and tokens[i - 1] == "..."):  # an alias names the field after it
                count += 1
    return max(1, count)


def clean_token(token: str | None) -> str | None:
    """A Hardcover token as sent: pasted from Hardcover's settings page it may start with "Bearer "."""
    text = (token or "").strip()
    if text.lower().startswith("bearer "):
        text = text[7:].strip()
    return text or None
