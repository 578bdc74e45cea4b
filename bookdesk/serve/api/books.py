"""``/api/v1/books``: the library list (search, shelf, sort, page), one book, its cover and its files.

The catalog is read on a worker thread (``ServeContext.reading`` blocks), never on the event loop.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bookdesk.data import api_queries
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.work_listing import SHELVES, SORT_COLUMNS
from bookdesk.serve.api.params import one_of, query, whole_number
from bookdesk.serve.api.shapes import book_json
from bookdesk.serve.context import ServeContext
from bookdesk.serve.files import file_response
from bookdesk.serve.path_ids import path_id
from bookdesk.serve.problems import ApiProblem

LIST_PARAMS = ("search", "shelf", "sort", "order", "page", "per_page")
DEFAULT_PAGE = 50
_MAX_PAGE_NUMBER = 1_000_000


def _ctx(request: Request) -> ServeContext:
    return request.app.state.ctx


async def list_books(request: Request) -> JSONResponse:
    params = query(request, LIST_PARAMS)
    per_page = whole_number(params, "per_page", DEFAULT_PAGE, 1, api_queries.MAX_PAGE)
    page = whole_number(params, "page", 1, 1, _MAX_PAGE_NUMBER)
    sort = one_of(params, "sort", SORT_COLUMNS, "title")
    descending = one_of(params, "order", ("asc", "desc"), "asc") == "desc"
    shelf = one_of(params, "shelf", SHELVES, None)
    search = params.get("search") or None

    def read() -> api_queries.BookPage:
        with _ctx(request).reading() as connection:
            return api_queries.book_page(connection, search=search, sort=sort or "title", descending=descending,
                                         shelf=shelf, offset=(page - 1) * per_page, limit=per_page)

    found = await run_in_threadpool(read)
    return JSONResponse({"total": found.total, "page": page, "per_page": per_page,
                         "books": [book_json(b) for b in found.books]})


async def _book(request: Request) -> WorkDetail:
    query(request, ())
    work_id = path_id(request, "book_id")

    def read() -> WorkDetail | None:
        with _ctx(request).reading() as connection:
            return api_queries.book(connection, work_id)

    found = await run_in_threadpool(read)
    if found is None:
        raise ApiProblem(404, f"There is no book {work_id}.")
    return found


async def get_book(request: Request) -> JSONResponse:
    return JSONResponse(book_json(await _book(request)))


async def book_cover(request: Request) -> Response:
    found = await _book(request)
    if not found.cover_path:
        raise ApiProblem(404, f"Book {found.id} has no cover.")
    return await file_response(request, _ctx(request), found.cover_path)


async def book_file(request: Request) -> Response:
    found = await _book(request)
    file_id = path_id(request, "file_id")
    match = next((f for f in found.files if f.id == file_id), None)
    if match is None:
        raise ApiProblem(404, f"Book {found.id} has no file {file_id}.")
    return await file_response(request, _ctx(request), match.path)
