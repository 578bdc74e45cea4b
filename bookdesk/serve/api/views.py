"""``/api/v1/series`` (with each series' gaps), ``/api/v1/authors`` and ``/api/v1/wanted``: what the
window's Series, Authors and Wanted views show, from the same SeriesService, read on the worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse

from bookdesk.core.library_services import LibraryServices
from bookdesk.core.series.gaps_json import gaps_json
from bookdesk.serve.api.params import query
from bookdesk.serve.api.shapes import author_json, series_json, wanted_json
from bookdesk.serve.path_ids import path_id
from bookdesk.serve.problems import ApiProblem

T = TypeVar("T")


def services(request: Request) -> LibraryServices:
    found = request.app.state.ctx.services
    if found is None:
        raise ApiProblem(503, "This server reads the catalog only: series, authors, wanted books and jobs "
                              "need the library opened by bookdesk serve or the window.")
    return found


async def _on_worker(request: Request, read: Callable[[LibraryServices], T]) -> T:
    opened = services(request)
    return await opened.worker.call(read, opened)


async def list_series(request: Request) -> JSONResponse:
    query(request, ())
    rows = await _on_worker(request, lambda s: s.series.summaries())
    return JSONResponse({"series": [series_json(r) for r in rows]})


async def one_series(request: Request) -> JSONResponse:
    query(request, ())
    series_id = path_id(request, "series_id")

    def read(opened: LibraryServices) -> dict | None:
        rows = [r for r in opened.series.summaries() if r.id == series_id]
        if not rows:
            return None
        return gaps_json(opened.series.series_gaps(series_id), rows[0].authors)

    found = await _on_worker(request, read)
    if found is None:
        raise ApiProblem(404, f"There is no series {series_id}.")
    return JSONResponse(found)


async def list_authors(request: Request) -> JSONResponse:
    query(request, ())
    people = await _on_worker(request, lambda s: s.series.authors())
    return JSONResponse({"authors": [author_json(p) for p in people]})


async def list_wanted(request: Request) -> JSONResponse:
    query(request, ())
    books = await _on_worker(request, lambda s: s.series.wanted())
    return JSONResponse({"wanted": [wanted_json(b) for b in books]})
