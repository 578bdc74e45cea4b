"""Open Library's answers: search.json, works, editions by ISBN and covers."""

from __future__ import annotations

import re

from tests.fakes.provider_world.books import PLACEHOLDER_GIF, Book, stable_number
from tests.fakes.provider_world.exchange import Record, Reply, image_reply, json_reply
from tests.fakes.provider_world.search import ENGINES, tokens


class OpenLibraryAnswers:
    """Open Library's answers, part of ProviderWorld: it uses the world's catalogue and addresses."""

    OL_DEFAULT_FIELDS = ("key", "type", "title", "subtitle", "author_name", "author_key", "first_publish_year",
                         "edition_count", "isbn", "cover_i", "language", "publisher", "number_of_pages_median")

    def _ol_doc(self, book: Book) -> dict:
        doc = {"key": f"/works/{book.ol_work}", "type": "work", "title": book.title,
               "author_name": list(book.authors), "author_key": [f"OL{stable_number(a, 10**6)}A" for a in book.authors],
               "first_publish_year": book.year, "edition_count": 1 + book.popularity // 1000,
               "language": ["eng"] if book.language == "en" else [book.language],
               "publisher": [book.publisher], "number_of_pages_median": 200 + book.id % 300}
        if book.subtitle:
            doc["subtitle"] = book.subtitle
        isbns = [i for i in (book.isbn13, book.isbn10) if i]
        if isbns:
            doc["isbn"] = isbns
        if book.cover:
            doc["cover_i"] = book.cover_id
        return doc

    def _ol_search(self, record: Record, query: dict[str, list[str]], param) -> Reply:  # noqa: ANN001
        limit = max(1, min(1000, int(param("limit", "100") or 100)))
        q, title, author = param("q"), param("title"), param("author")
        index = self.catalogue.index("openlibrary")
        found: list[Book]
        isbns = re.findall(r"isbn:\s*([\dXx-]+)", q or "")
        if isbns and re.fullmatch(r"\s*isbn:\s*[\dXx-]+(?:\s+OR\s+isbn:\s*[\dXx-]+)*\s*", q or ""):
            wanted = {i.replace("-", "").upper() for i in isbns}
            found = [b for b in index.books if wanted & {b.isbn13, b.isbn10}]
            record.search = "isbn:" + ",".join(sorted(wanted))
        elif q or title or author:
            terms: dict[str | None, list[str]] = {}
            if q:
                terms[None] = tokens(q)
            if title:
                terms["title"] = tokens(title)
            if author:
                terms["authors"] = tokens(author)
            record.search = " | ".join(filter(None, (q, title, author)))
            found = index.search(terms, ENGINES["openlibrary"], 1000, exact_fields=("authors",))
        else:
            return json_reply({"error": "Missing query"}, 422)
        fields = param("fields")
        wanted_fields = [f.strip() for f in fields.split(",")] if fields else list(self.OL_DEFAULT_FIELDS)
        docs = []
        for book in found[:limit]:
            doc = self._ol_doc(book)
            docs.append(doc if "*" in wanted_fields else {k: doc[k] for k in wanted_fields if k in doc})
        return json_reply({"numFound": len(found), "start": 0, "numFoundExact": True, "docs": docs,
                      "num_found": len(found), "q": q or "", "offset": None})

    def _ol_work(self, work: str) -> Reply:
        book = self.catalogue.by_work.get(work)
        if book is None or "openlibrary" not in book.known_to:
            return json_reply({"error": "notfound", "key": f"/works/{work}"}, 404)
        record = {"key": f"/works/{work}", "title": book.title, "type": {"key": "/type/work"},
                  "authors": [{"author": {"key": f"/authors/OL{stable_number(a, 10**6)}A"},
                               "type": {"key": "/type/author_role"}} for a in book.authors],
                  "description": {"type": "/type/text", "value": book.description},
                  "subjects": ["Fiction"], "revision": 3, "latest_revision": 3}
        if book.subtitle:
            record["subtitle"] = book.subtitle
        if book.cover:
            record["covers"] = [book.cover_id]
        return json_reply(record)

    def _ol_edition(self, isbn: str) -> Reply:
        book = self.catalogue.by_isbn.get(isbn) or next(
            (b for b in self.catalogue.books if b.isbn10 == isbn), None)
        if book is None or "openlibrary" not in book.known_to:
            return json_reply({"error": "notfound", "key": f"/isbn/{isbn}"}, 404)
        return json_reply({"key": f"/books/OL{200000 + book.id}M", "title": book.title,
                      "works": [{"key": f"/works/{book.ol_work}"}], "isbn_13": [book.isbn13],
                      "publishers": [book.publisher], "publish_date": str(book.year),
                      "covers": [book.cover_id] if book.cover else []})

    def _ol_cover(self, kind: str, value: str, default: str | None) -> Reply:
        book = (self.catalogue.by_cover.get(int(value)) if kind == "id"
                else self.catalogue.by_isbn.get(value) or next((b for b in self.catalogue.books if b.isbn10 == value),
                                                               None))
        if book is not None and book.cover and "openlibrary" in book.known_to:
            return image_reply(book.cover)
        if default == "false":
            return Reply(404, b"Not Found", "text/plain")
        return image_reply(PLACEHOLDER_GIF)  # Open Library's 1x1 "no cover" picture
