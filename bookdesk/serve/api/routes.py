"""The API's addresses, one row each: the route, whether it changes things (a read-only key is refused
there with 403), and what the OpenAPI description says of it. ``openapi.py`` reads the same rows, so
the description cannot drift from what is served."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.routing import BaseRoute, Route

from bookdesk.serve.api import books, jobs, views
from bookdesk.serve.api.shapes import API


@dataclass(frozen=True)
class Endpoint:
    path: str  # under /api/v1, Starlette's form: /books/{book_id:int}
    method: str
    endpoint: Callable
    summary: str
    params: tuple[str, ...] = ()  # the query parameters it takes
    writes: bool = False
    answers: str = "application/json"


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/books", "GET", books.list_books, "A page of the library list: search, shelf, sort and order as "
             "the window's Library view has them.", books.LIST_PARAMS),
    Endpoint("/books/{book_id:int}", "GET", books.get_book, "One book with its series, identifiers and files."),
    Endpoint("/books/{book_id:int}/cover", "GET", books.book_cover, "The book's cover image.",
             answers="image/*"),
    Endpoint("/books/{book_id:int}/files/{file_id:int}", "GET", books.book_file,
             "One of the book's files; Range requests resume it.", answers="application/octet-stream"),
    Endpoint("/series", "GET", views.list_series, "Every series with what is owned and missing of it."),
    Endpoint("/series/{series_id:int}", "GET", views.one_series, "One series' gaps: owned, missing, upcoming."),
    Endpoint("/authors", "GET", views.list_authors, "The authors with what is owned and missing of each."),
    Endpoint("/wanted", "GET", views.list_wanted, "The wanted books."),
    Endpoint("/jobs", "POST", jobs.start_job, 'Start a job: {"kind": "import", "paths": [...], "mode": "copy"}, '
             '{"kind": "identify", "books": [ids]}, {"kind": "sync"} or {"kind": "download", "url": "...", '
             '"book": id}. Answers 202 with its Ref.', writes=True),
    Endpoint("/jobs/{ref}", "GET", jobs.follow_job, "A job (or a download) by its Ref: state, progress, "
             "summary, error."),
)


def api_routes() -> list[BaseRoute]:
    from bookdesk.serve.api.openapi import openapi

    routes: list[BaseRoute] = [Route(API + e.path, e.endpoint, methods=[e.method]) for e in ENDPOINTS]
    routes.append(Route(API + "/openapi.json", openapi, methods=["GET"]))
    return routes

