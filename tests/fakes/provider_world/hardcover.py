"""Hardcover's answers: a GraphQL endpoint with search(...) and books(where: ...), the way
Hasura reads the few filters BookDesk uses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from tests.fakes.provider_world.books import Book, stable_number
from tests.fakes.provider_world.exchange import Record, Reply, json_reply
from tests.fakes.provider_world.graphql import Field, GraphQLError, parse_graphql, resolve
from tests.fakes.provider_world.search import ENGINES, tokens

if TYPE_CHECKING:
    from tests.fakes.provider_world.world import ProviderWorld


class HardcoverAnswers:
    """Hardcover's answers, part of ProviderWorld: it uses the world's catalogue and addresses."""

    def _hardcover(self, record: Record, body: bytes) -> Reply:
        try:
            request = json.loads(body)
            document = parse_graphql(request["query"])
        except (ValueError, KeyError, TypeError, GraphQLError) as exc:
            return json_reply({"errors": [{"message": f"parsing the query failed: {exc}",
                                      "extensions": {"path": "$.query", "code": "parse-failed"}}]})
        variables = request.get("variables") or {}
        try:
            data = {}
            for root in document:
                args = resolve(root.args, variables)
                if root.name == "search":
                    record.search = str(args.get("query", ""))
                    data[root.alias] = self._hc_search(args, root)
                elif root.name == "books":
                    record.search = json.dumps(args.get("where", {}), sort_keys=True)
                    data[root.alias] = [project(_hc_book(self, b), root, "books", variables)
                                        for b in self._hc_books(args)]
                else:
                    raise GraphQLError(f"field '{root.name}' not found in type: 'query_root'",
                                       f"$.selectionSet.{root.name}")
        except GraphQLError as exc:
            return json_reply({"errors": [{"message": exc.message,
                                      "extensions": {"path": exc.path, "code": "validation-failed"}}]})
        return json_reply({"data": data})

    def _hc_search(self, args: dict, root: Field) -> dict:
        if str(args.get("query_type", "Book")).lower() != "book":
            raise GraphQLError("query_type must be one of Book, Author, Series, ...", "$.selectionSet.search")
        per_page = max(1, min(100, int(args.get("per_page", 25))))
        page = max(1, int(args.get("page", 1)))
        found = self.catalogue.index("hardcover").search({None: tokens(str(args.get("query", "")))},
                                                          ENGINES["hardcover"], 250)
        hits = [{"document": self._hc_document(b), "highlight": {}, "text_match": 10**17 - i}
                for i, b in enumerate(found[(page - 1) * per_page: page * per_page])]
        results = {"facet_counts": [], "found": len(found), "hits": hits, "out_of": len(self.catalogue.books),
                   "page": page, "request_params": {"collection_name": "Book_production", "per_page": per_page,
                                                    "q": str(args.get("query", ""))}, "search_time_ms": 3}
        for field_ in root.selection:
            if field_.name != "results":
                raise GraphQLError(f"field '{field_.name}' not found in type: 'SearchOutput'",
                                   f"$.selectionSet.search.selectionSet.{field_.name}")
        return {"results": results}

    def _hc_document(self, book: Book) -> dict:
        featured = None
        if book.series:
            featured = {"details": book.position_label, "featured": True, "position": book.position,
                        "unreleased": False, "series": {"id": stable_number(book.series, 10**5), "name": book.series,
                                                        "primary_books_count": 7, "slug": "-".join(tokens(book.series)),
                                                        "books_count": 9}}
        return {"id": str(book.hardcover_id), "title": book.title, "subtitle": book.subtitle, "slug": book.slug,
                "author_names": list(book.authors),
                "contributions": [{"author": {"id": stable_number(a, 10**6), "name": a, "slug": "-".join(tokens(a))},
                                   "contribution": None} for a in book.authors],
                "compilation": book.kind == "omnibus", "description": book.description, "featured_series": featured,
                "image": ({"url": f"{self.cdn('hardcover-assets')}/books/{book.hardcover_id}.png", "width": 32,
                           "height": 48, "color": "#334455"} if book.cover else {}),
                "isbns": [i for i in (book.isbn13, book.isbn10) if i], "release_year": book.year,
                "release_date": f"{book.year}-06-01", "series_names": [book.series] if book.series else [],
                "users_count": book.popularity}

    def _hc_books(self, args: dict) -> list[Book]:
        where = args.get("where") or {}
        books = [b for b in self.catalogue.books if "hardcover" in b.known_to]
        books = [b for b in books if _hc_where(b, where)]
        books.sort(key=lambda b: -b.popularity)
        return books[: int(args.get("limit", 100))]



def _hc_where(book: Book, where: dict) -> bool:
    """The few ``where`` filters BookDesk uses, the way Hasura reads them."""
    for key, condition in where.items():
        if key == "editions":
            editions = _hc_editions(book)
            if not any(_hc_where_edition(e, condition) for e in editions):
                return False
        elif key == "id":
            if not _compare(book.hardcover_id, condition):
                return False
        elif key == "title":
            if not _compare(book.title, condition):
                return False
        elif key in ("_and", "_or"):
            parts = [_hc_where(book, c) for c in condition]
            if not (all(parts) if key == "_and" else any(parts)):
                return False
        else:
            raise GraphQLError(f"field '{key}' not found in type: 'books_bool_exp'", "$.selectionSet.books.args.where")
    return True


def _hc_where_edition(edition: dict, condition: dict) -> bool:
    for key, test in condition.items():
        if key not in edition:
            raise GraphQLError(f"field '{key}' not found in type: 'editions_bool_exp'",
                               "$.selectionSet.books.args.where.editions")
        if not _compare(edition[key], test):
            return False
    return True


def _compare(value: object, test: dict) -> bool:
    for op, wanted in test.items():
        if op == "_eq" and value != wanted:
            return False
        if op == "_in" and value not in wanted:
            return False
        if op not in ("_eq", "_in"):
            raise GraphQLError(f"operator '{op}' is not supported here", "$")
    return True


def _hc_editions(book: Book) -> list[dict]:
    editions = [{"id": 3000000 + book.id, "isbn_13": book.isbn13, "isbn_10": book.isbn10, "asin": None,
                 "title": book.title, "edition_format": "Paperback", "release_date": f"{book.year}-06-01",
                 "audio_seconds": None, "reading_format_id": 1}]
    if book.asin:
        editions.append({"id": 5000000 + book.id, "isbn_13": None, "isbn_10": None, "asin": book.asin,
                         "title": book.title, "edition_format": "Audible Audio", "release_date": f"{book.year}-06-01",
                         "audio_seconds": (book.runtime_min or 0) * 60, "reading_format_id": 2})
    return editions


def _hc_book(world: ProviderWorld, book: Book) -> dict:
    """A ``books`` row with everything the schema offers; ``project`` keeps what was asked for."""
    return {"id": book.hardcover_id, "title": book.title, "subtitle": book.subtitle, "slug": book.slug,
            "description": book.description, "release_date": f"{book.year}-06-01", "release_year": book.year,
            "compilation": book.kind == "omnibus", "users_count": book.popularity, "rating": 4.1, "pages": 320,
            "image": ({"url": f"{world.cdn('hardcover-assets')}/books/{book.hardcover_id}.png", "width": 32,
                       "height": 48, "color": "#334455"} if book.cover else None),
            "contributions": [{"contribution": None, "author": {"id": stable_number(a, 10**6), "name": a,
                                                                  "slug": "-".join(tokens(a))}}
                              for a in book.authors],
            "book_series": ([{"position": book.position, "details": book.position_label, "featured": True,
                              "series": {"id": stable_number(book.series, 10**5), "name": book.series,
                                         "slug": "-".join(tokens(book.series)), "primary_books_count": 7,
                                         "books_count": 9}}] if book.series else []),
            "editions": _hc_editions(book)}


# The parts of Hardcover's schema BookDesk may ask for: type -> field -> type of an object field (or None).
SCHEMA: dict[str, dict[str, str | None]] = {
    "books": {"id": None, "title": None, "subtitle": None, "slug": None, "description": None, "release_date": None,
              "release_year": None, "compilation": None, "users_count": None, "rating": None, "pages": None,
              "image": "images", "contributions": "contributions", "book_series": "book_series",
              "editions": "editions"},
    "images": {"url": None, "width": None, "height": None, "color": None},
    "contributions": {"contribution": None, "author": "authors"},
    "authors": {"id": None, "name": None, "slug": None},
    "book_series": {"position": None, "details": None, "featured": None, "series": "series"},
    "series": {"id": None, "name": None, "slug": None, "primary_books_count": None, "books_count": None},
    "editions": {"id": None, "isbn_13": None, "isbn_10": None, "asin": None, "title": None, "edition_format": None,
                 "release_date": None, "audio_seconds": None, "reading_format_id": None},
}


def project(record: object, node: Field, type_name: str, variables: Mapping, path: str = "$.selectionSet") -> object:
    """``record`` cut down to the fields ``node`` selects, refusing fields the type does not have."""
    if record is None:
        return None
    if isinstance(record, list):
        return [project(r, node, type_name, variables, path) for r in record]
    out = {}
    here = f"{path}.{node.name}.selectionSet"
    for child in node.selection:
        if child.name == "__typename":
            out[child.alias] = type_name
            continue
        fields = SCHEMA[type_name]
        if child.name not in fields:
            raise GraphQLError(f"field '{child.name}' not found in type: '{type_name}'", f"{here}.{child.name}")
        sub_type = fields[child.name]
        value = record.get(child.name) if isinstance(record, dict) else None
        if sub_type is None:
            if child.selection:
                raise GraphQLError(f"unexpected subselection set for non-object field '{child.name}'",
                                   f"{here}.{child.name}")
            out[child.alias] = value
            continue
        if not child.selection:
            raise GraphQLError(f"missing selection set for '{child.name}'", f"{here}.{child.name}")
        if child.name == "editions" and isinstance(value, list):
            args = resolve(child.args, variables)
            where = args.get("where") or {}
            value = [e for e in value if _hc_where_edition(e, where)][: int(args.get("limit", len(value)))]
        out[child.alias] = project(value, child, sub_type, variables, here)
    return out
