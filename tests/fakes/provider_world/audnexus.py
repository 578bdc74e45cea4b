"""Audnexus' answers: an audiobook by ASIN and its chapters."""

from __future__ import annotations

from tests.fakes.provider_world.books import series_id, stable_number
from tests.fakes.provider_world.exchange import Reply, json_reply


class AudnexusAnswers:
    """Audnexus' answers, part of ProviderWorld: it uses the world's catalogue and addresses."""

    def _audnexus(self, asin: str, chapters: bool) -> Reply:
        book = self.catalogue.by_asin.get(asin)
        if book is None or "audnexus" not in book.known_to:
            return json_reply({"statusCode": 404, "error": "Not Found", "message": "Item not available in region: us"},
                         404)
        runtime = book.runtime_min or 600
        if chapters:
            count = max(3, runtime // 45)
            each = runtime * 60000 // count
            return json_reply({"asin": asin, "brandIntroDurationMs": 2043, "brandOutroDurationMs": 5062,
                          "chapters": [{"lengthMs": each, "startOffsetMs": i * each, "startOffsetSec": i * each // 1000,
                                        "title": f"Chapter {i + 1}"} for i in range(count)],
                          "isAccurate": True, "runtimeLengthMs": runtime * 60000, "runtimeLengthSec": runtime * 60})
        record = {"asin": asin, "authors": [{"asin": f"B00{stable_number(a, 10**7):07d}", "name": a} for a in book.authors],
                  "copyright": book.year, "description": book.description[:200], "formatType": "unabridged",
                  "genres": [{"asin": "18580606011", "name": "Science Fiction & Fantasy", "type": "genre"}],
                  "image": f"{self.cdn('audible-images')}/images/I/{asin}.png" if book.cover else None,
                  "isAdult": False, "isbn": book.isbn13, "language": "english", "literatureType": "fiction",
                  "narrators": [{"name": n} for n in book.narrators], "publisherName": f"{book.publisher} Audio",
                  "rating": "4.5", "region": "us", "releaseDate": f"{book.year}-06-01T00:00:00.000Z",
                  "runtimeLengthMin": runtime, "summary": f"<p>{book.description}</p>", "title": book.title}
        if book.subtitle:
            record["subtitle"] = book.subtitle
        if book.series:
            record["seriesPrimary"] = {"asin": f"B0S{series_id(book.series)[:7]}", "name": book.series,
                                       "position": f"Book {book.position_label}" if book.position_label else None}
        return json_reply(record)
