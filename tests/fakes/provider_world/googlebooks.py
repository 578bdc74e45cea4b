"""Google Books' answers: volumes searched or by id, and series."""

from __future__ import annotations

import re

from tests.fakes.provider_world.books import Book, series_id, stable_b32
from tests.fakes.provider_world.exchange import Record, Reply, json_reply
from tests.fakes.provider_world.search import ENGINES, tokens


class GoogleBooksAnswers:
    """Google Books' answers, part of ProviderWorld: it uses the world's catalogue and addresses."""

    def _google_volume(self, book: Book) -> dict:
        ids = [{"type": "ISBN_13", "identifier": book.isbn13}] if book.isbn13 else []
        if book.isbn10:
            ids.append({"type": "ISBN_10", "identifier": book.isbn10})
        if not ids:
            ids = [{"type": "OTHER", "identifier": f"PKEY:{book.id:013d}"}]
        published = f"{min(2024, book.year + book.id % 4)}-{1 + book.id % 12:02d}-{1 + book.id % 28:02d}"
        info: dict = {"title": book.title, "authors": list(book.authors), "publisher": book.publisher,
                      "publishedDate": published,
                      "description": f"<p><b>{book.title}</b></p><p>{book.description}</p>",
                      "industryIdentifiers": ids, "readingModes": {"text": True, "image": False},
                      "pageCount": 200 + book.id % 300, "printType": "BOOK", "categories": [book.category],
                      "maturityRating": "NOT_MATURE", "allowAnonLogging": True, "contentVersion": "1.1.1.0.preview.2",
                      "language": book.language,
                      "previewLink": f"http://books.google.com/books?id={book.google_id}&printsec=frontcover",
                      "infoLink": f"http://books.google.com/books?id={book.google_id}&source=gbs_api",
                      "canonicalVolumeLink": f"https://books.google.com/books/about/x.html?id={book.google_id}"}
        if book.subtitle:
            info["subtitle"] = book.subtitle
        if book.cover:
            link = (f"{self.cdn('googlebooks-content')}/books/content?id={book.google_id}"
                    "&printsec=frontcover&img=1&zoom=1&edge=curl&source=gbs_api")
            info["imageLinks"] = {"smallThumbnail": link.replace("zoom=1", "zoom=5"), "thumbnail": link}
        if book.series and book.google_series and book.position is not None:
            info["seriesInfo"] = {"kind": "books#volume_series_info", "bookDisplayNumber": book.position_label,
                                  "volumeSeries": [{"seriesId": series_id(book.series), "seriesBookType": "ISSUE",
                                                    "orderNumber": max(1, int(book.position))}]}
        return {"kind": "books#volume", "id": book.google_id, "etag": stable_b32(f"etag{book.id}")[:11],
                "selfLink": f"{self.url}/googlebooks/books/v1/volumes/{book.google_id}", "volumeInfo": info,
                "saleInfo": {"country": "US", "saleability": "NOT_FOR_SALE", "isEbook": False},
                "accessInfo": {"country": "US", "viewability": "PARTIAL", "embeddable": True}}

    def _google_key_error(self, query: dict[str, list[str]]) -> Reply | None:
        key = (query.get("key") or [None])[0]
        if key is not None and self.google_keys is not None and key not in self.google_keys:
            return json_reply({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                                    "errors": [{"message": "API key not valid. Please pass a valid API key.",
                                                "domain": "global", "reason": "badRequest"}],
                                    "status": "INVALID_ARGUMENT"}}, 400)
        return None

    def _google_volumes(self, record: Record, query: dict[str, list[str]], param) -> Reply:  # noqa: ANN001
        refused = self._google_key_error(query)
        if refused:
            return refused
        q = param("q")
        if not q:
            return json_reply({"error": {"code": 400, "message": "Missing query.", "errors": [
                {"message": "Missing query.", "domain": "global", "reason": "queryRequired"}]}}, 400)
        limit = max(1, min(40, int(param("maxResults", "10") or 10)))
        index = self.catalogue.index("googlebooks")
        record.search = q
        isbn = re.fullmatch(r"\s*isbn:\s*([\dXx-]+)\s*", q)
        if isbn:
            wanted = isbn.group(1).replace("-", "").upper()
            found = [b for b in index.books if wanted in (b.isbn13, b.isbn10)]
        else:
            found = index.search(google_terms(q), ENGINES["googlebooks"], 40)
        if not found:
            return json_reply({"kind": "books#volumes", "totalItems": 0})
        return json_reply({"kind": "books#volumes", "totalItems": len(found),
                      "items": [self._google_volume(b) for b in found[:limit]]})

    def _google_series(self, query: dict[str, list[str]]) -> Reply:
        refused = self._google_key_error(query)
        if refused:
            return refused
        ids = query.get("series_id") or []
        if not ids:
            return json_reply({"error": {"code": 400, "message": "Missing series_id.", "errors": [
                {"message": "Missing series_id.", "domain": "global", "reason": "required"}]}}, 400)
        series = [{"seriesId": sid, "title": self.catalogue.series_names[sid],
                   "imageUrl": f"{self.cdn('googlebooks-content')}/books/content?series={sid}",
                   "bannerImageUrl": f"{self.cdn('googlebooks-content')}/books/content?series={sid}",
                   "seriesType": "SERIES", "eligibleForSubscription": False}
                  for sid in ids if sid in self.catalogue.series_names]
        return json_reply({"kind": "books#series", "series": series})



def google_terms(q: str) -> dict[str | None, list[str]]:
    """Google's query syntax: ``intitle:`` and ``inauthor:`` hold the one word (or "quoted phrase")
    after them; every other word may match anywhere."""
    terms: dict[str | None, list[str]] = {}
    for op, phrase, word in re.findall(r'(?:(\w+):)?(?:"([^"]*)"|(\S+))', q):
        group = {"intitle": "title", "inauthor": "authors"}.get(op.lower()) if op else None
        terms.setdefault(group, []).extend(tokens(phrase or word))
    return terms
