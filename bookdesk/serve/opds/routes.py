"""``opds_routes(ctx)``: the OPDS catalog's addresses, mounted by ``serve/app.py``.

OPDS 1.2 (Atom) lives at ``/opds``, OPDS 2.0 (JSON) at ``/opds/v2``, each with the same feeds
(``feeds.py``); the book files, covers and the OpenSearch description once, under ``/opds``.
The catalog is read on a worker thread (``ServeContext.reading`` blocks), never on the event loop.
Who may ask is the server's business (its middleware); these routes do not authenticate.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bookdesk.data import opds_queries
from bookdesk.data.work_listing import Connection
from bookdesk.errors import NotFoundError, UsageError
from bookdesk.serve.context import ServeContext
from bookdesk.serve.files import file_response
from bookdesk.serve.opds import atom, feeds, json2
from bookdesk.serve.opds.links import OPDS2_ROOT, OPDS_ROOT, THUMBNAIL_TYPE, Links, cover_type, media_type_of
from bookdesk.serve.opds.placeholder import SVG_TYPE, placeholder_cover
from bookdesk.serve.path_ids import path_id

MAX_SEARCH = 200  # characters of a search; a longer one is refused, not cut
OPDS2_TYPE = "application/opds+json"

FeedReader = Callable[[Connection, Request], feeds.Feed]


def opds_routes(ctx: ServeContext) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for path, reader in _FEEDS.items():
        for root, render in ((OPDS_ROOT, _atom), (OPDS2_ROOT, _json)):
            routes.append(Route(f"{root}/{path}".rstrip("/"), partial(_feed, ctx, reader, render, root),
                                methods=["GET", "HEAD"]))
    routes += [
        Route(f"{OPDS_ROOT}/opensearch.xml", _opensearch, methods=["GET", "HEAD"]),
        Route(f"{OPDS_ROOT}/files/{{file_id:int}}/{{name}}", partial(_file, ctx), methods=["GET", "HEAD"]),
        Route(f"{OPDS_ROOT}/covers/{{work_id:int}}", partial(_cover, ctx), methods=["GET", "HEAD"]),
        Route(f"{OPDS_ROOT}/thumbnails/{{work_id:int}}", partial(_thumbnail, ctx), methods=["GET", "HEAD"]),
    ]
    return routes


def _after(request: Request) -> str | None:
    return request.query_params.get("after")


def _search(connection: Connection, request: Request) -> feeds.Feed:
    # "q" from OPDS 1.2's OpenSearch template, "query" from OPDS 2.0's URI template.
    text = request.query_params.get("q", request.query_params.get("query", "")).strip()
    if len(text) > MAX_SEARCH:
        raise UsageError(f"A search is at most {MAX_SEARCH} characters.")
    return feeds.search(connection, text, _after(request))


def _state(connection: Connection, request: Request) -> feeds.Feed:
    state = request.path_params["state"]
    if state not in opds_queries.READ_STATES:
        raise NotFoundError(f"There is no read state {state!r}.")
    return feeds.state_books(connection, state, _after(request))


def _required(request: Request, name: str) -> str:
    value = request.query_params.get(name)
    if value is None:
        raise UsageError(f"This feed needs its {name!r}.")
    return value


def _ROOT(connection: Connection, request: Request) -> feeds.Feed:  # noqa: N802 - named as the constant it is
    return feeds.root()


_FEEDS: dict[str, FeedReader] = {
    "": _ROOT,
    "recent": lambda connection, request: feeds.recent(connection, _after(request)),
    "authors": lambda connection, request: feeds.authors(connection, _after(request)),
    "authors/{key:int}": lambda connection, request: feeds.author_books(
        connection, path_id(request, "key"), _after(request)),
    "series": lambda connection, request: feeds.series(connection, _after(request)),
    "series/{key:int}": lambda connection, request: feeds.series_books(
        connection, path_id(request, "key"), _after(request)),
    "tags": lambda connection, request: feeds.tags(connection, _after(request)),
    "tags/books": lambda connection, request: feeds.tag_books(connection, _required(request, "tag"), _after(request)),
    "languages": lambda connection, request: feeds.languages(connection),
    "languages/books": lambda connection, request: feeds.language_books(
        connection, _required(request, "code"), _after(request)),
    "states": lambda connection, request: feeds.states(connection),
    "states/{state}": _state,
    "search": _search,
}


async def _feed(ctx: ServeContext, reader: FeedReader, render: Callable[[feeds.Feed, Links], Response], root: str,
                request: Request) -> Response:
    def read() -> feeds.Feed:
        with ctx.reading() as connection:
            return reader(connection, request)

    # The root lists the ways in and reads nothing: no catalog opened, no hop to a thread.
    feed = feeds.root() if reader is _ROOT else await run_in_threadpool(read)
    return render(feed, _links(request, root))


def _atom(feed: feeds.Feed, links: Links) -> Response:
    kind = atom.NAVIGATION_TYPE if feed.navigation else atom.ACQUISITION_TYPE
    return Response(atom.feed_document(feed, links), media_type=kind)


def _json(feed: feeds.Feed, links: Links) -> Response:
    return JSONResponse(json2.feed_document(feed, links), media_type=OPDS2_TYPE)


async def _opensearch(request: Request) -> Response:
    return Response(atom.opensearch_document(_links(request, OPDS_ROOT)), media_type=atom.OPENSEARCH_TYPE)


async def _file(ctx: ServeContext, request: Request) -> Response:
    found = await run_in_threadpool(_read, ctx, opds_queries.owned_file, path_id(request, "file_id"))
    if found is None:
        raise NotFoundError("There is no such file in this library.")
    path, book_format = found
    return await file_response(request, ctx, path, media_type_of(book_format))


async def _cover(ctx: ServeContext, request: Request) -> Response:
    found = await run_in_threadpool(_read, ctx, opds_queries.cover, path_id(request, "work_id"))
    if found is None:
        raise NotFoundError("There is no such book in this library.")
    path, title, authors = found
    if path is None:  # OPDS 2.0 gives every book an image: one made of its title
        return Response(placeholder_cover(title, authors), media_type=SVG_TYPE,
                        headers={"Cache-Control": "no-cache"})
    return await file_response(request, ctx, path, cover_type(path))


async def _thumbnail(ctx: ServeContext, request: Request) -> Response:
    """The cover scaled down (thumbnails.py); the cover itself when it cannot be, the title's one without."""
    from bookdesk.serve.opds.thumbnails import thumbnail  # Pillow loads at the first thumbnail, not at start

    work_id = path_id(request, "work_id")
    found = await run_in_threadpool(_read, ctx, opds_queries.cover, work_id)
    if found is None or found[0] is None:
        return await _cover(ctx, request)
    kept = await run_in_threadpool(thumbnail, ctx, work_id, found[0])
    if kept is None:
        return await file_response(request, ctx, found[0], cover_type(found[0]))
    return await file_response(request, ctx, kept, THUMBNAIL_TYPE)


def _read(ctx: ServeContext, query: Callable[[Connection, int], object], key: int) -> object:
    with ctx.reading() as connection:
        return query(connection, key)


def _links(request: Request, root: str) -> Links:
    return Links(str(request.base_url).rstrip("/"), root)
