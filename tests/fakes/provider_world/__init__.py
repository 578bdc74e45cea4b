"""A pretend internet of book metadata: one real HTTP server on 127.0.0.1 that plays Open Library,
Google Books, Hardcover and Audnexus over one catalogue of "true" books.

Each provider lives under its own path prefix, so one server is all four and BookDesk's
``BOOKDESK_<NAME>_URL`` variables (or ``Settings.provider_urls``) point at it:

    /openlibrary            search.json, works/{id}.json, isbn/{isbn}.json
    /openlibrary-covers     b/id/{n}-L.jpg (not limited), b/isbn/{isbn}-L.jpg (100 per 5 minutes)
    /googlebooks/books/v1   volumes?q=..., volumes/{id}, series/get?series_id=...
    /hardcover/v1/graphql   POST GraphQL: search(...) and books(where: {editions: ...}), token required
    /audnexus               books/{asin}, books/{asin}/chapters
    /googlebooks-content, /hardcover-assets, /audible-images   the image hosts: each on a port of its
                            own (another host, as in real life), with no published limit

Search behaves roughly like the real engines: tokenised, case- and accent-insensitive, ranked by
word overlap (rare words count more), so a query brings back the book, its author's other books
and decoys: "Summary of <Title>" companions, a "Books 1-3" omnibus of a series, a book of the same
title by someone else. Open Library matches author words exactly; Google and Hardcover forgive
typos; Hardcover (Typesense) wants every word and drops words from the end when nothing matches.

Each provider's published limit is enforced per client (Open Library 3/s, Google 100/100 s,
Hardcover 60/min per token, Audnexus 100/min, Open Library covers by ISBN 100/5 min) with a 429 and
Retry-After, and every request is recorded with its time, so a test can prove the limit was never
exceeded and count requests per book. Hazards can be switched on per provider: down (connection
refused, connection reset, 503 page), occasional 500s, an HTML page instead of JSON, cut-off
bodies, slow answers and storms of 429s with Retry-After.

The parts: books (the catalogue and its decoys), search (the engines), limits, exchange (a
request's record, its reply, hazards), graphql (a little GraphQL), one module per provider's
answers (openlibrary, googlebooks, hardcover, audnexus), world (the server and its routing) and
judging (results against the truth).
"""

from tests.fakes.provider_world.books import Book, Catalogue
from tests.fakes.provider_world.exchange import Hazard, Record
from tests.fakes.provider_world.judging import bookdesk_rates, requests_per_book, same_text, scaled_limits
from tests.fakes.provider_world.limits import CDNS, PROVIDERS, PUBLISHED_LIMITS, Limit
from tests.fakes.provider_world.world import ProviderWorld

__all__ = ["CDNS", "PROVIDERS", "PUBLISHED_LIMITS", "Book", "Catalogue", "Hazard", "Limit", "ProviderWorld", "Record",
           "bookdesk_rates", "requests_per_book", "same_text", "scaled_limits"]
