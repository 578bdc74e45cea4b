"""``POST /api/v1/jobs`` starts an import, an identification, a sync or a download, through the same core
services the window and the CLI use, on the library's worker; ``GET /api/v1/jobs/{ref}`` follows it.

The answer to a start is 202 with the job's Ref (its correlation id, as Activity shows it); the job
runs on after the request ends. A download's Ref is that of its row in the download queue.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from bookdesk import correlation
from bookdesk.core.importer.service import MODES, ImportService
from bookdesk.core.library_services import LibraryServices
from bookdesk.data.api_queries import JobState, download_state, job_state
from bookdesk.serve.api.params import query
from bookdesk.serve.api.shapes import API, job_json
from bookdesk.serve.api.views import services
from bookdesk.serve.path_ids import is_catalog_id
from bookdesk.serve.problems import ApiProblem

MAX_BODY = 64 * 1024
MAX_ITEMS = 1000  # paths or books one request may name
Starter = Callable[[Request, LibraryServices, dict[str, Any]], Awaitable[str]]


async def _body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ApiProblem(415, "Send the job as JSON (Content-Type: application/json).")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise ApiProblem(413, f"A job is described in at most {MAX_BODY} bytes.")
    raw = b""
    async for chunk in request.stream():  # counted as it comes: a body without a length cannot grow past it
        raw += chunk
        if len(raw) > MAX_BODY:
            raise ApiProblem(413, f"A job is described in at most {MAX_BODY} bytes.")
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiProblem(400, "The body is not JSON.") from exc
    if not isinstance(document, dict):
        raise ApiProblem(400, 'The body is one JSON object, such as {"kind": "sync"}.')
    return document


def _list(document: dict[str, Any], name: str, kind: type) -> list:
    value = document.get(name)
    if not isinstance(value, list) or not value or len(value) > MAX_ITEMS \
            or not all(is_catalog_id(v) if kind is int else isinstance(v, kind) for v in value):
        raise ApiProblem(400, f"{name!r} is a list of 1 to {MAX_ITEMS} {kind.__name__} values.")
    return value


async def _start_import(request: Request, opened: LibraryServices, document: dict[str, Any]) -> str:
    paths = [Path(p) for p in _list(document, "paths", str)]
    if not all(p.is_absolute() for p in paths):
        raise ApiProblem(400, "Each path to import is absolute, as this machine sees it.")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ApiProblem(400, f"Nothing is at {missing[0]}.")
    mode = document.get("mode", "copy")
    if mode not in MODES:
        raise ApiProblem(400, f"'mode' is one of {', '.join(MODES)}.")
    importer = ImportService(opened.library.catalog, opened.settings.import_template)
    handle = opened.worker.submit("import", ImportService.job_title(paths), lambda ctx: importer.run(ctx, paths, mode))
    handle.detach()  # followed through GET /api/v1/jobs/REF; a failure is logged with its Ref
    return handle.correlation_id


async def _start_identify(request: Request, opened: LibraryServices, document: dict[str, Any]) -> str:
    work_ids = _list(document, "books", int)
    title = f"Identify {len(work_ids):,} book{'s' if len(work_ids) != 1 else ''}"

    async def job(ctx):  # noqa: ANN001 - JobContext
        return await opened.identify_service().identify(ctx, work_ids, user_waiting=True)

    handle = opened.worker.submit("identify", title, job)
    handle.detach()
    return handle.correlation_id


async def _start_download(request: Request, opened: LibraryServices, document: dict[str, Any]) -> str:
    url, book = document.get("url"), document.get("book")
    if not isinstance(url, str) or len(url) > 4096:
        raise ApiProblem(400, "'url' is the http:// or https:// address of the file.")
    if book is not None and not is_catalog_id(book):
        raise ApiProblem(400, "'book' is the id of the wanted book the file is for.")
    ref = correlation.current() or correlation.new_id()

    async def enqueue() -> None:  # on the worker's loop, where the queue runs (started with the library)
        with correlation.bound(ref):
            opened.download_queue().enqueue(url, work_id=book, import_after=document.get("import", True) is not False)

    await opened.worker.run(enqueue)
    return ref


async def _start_sync(request: Request, opened: LibraryServices, document: dict[str, Any]) -> str:
    sync = request.app.state.ctx.sync
    if sync is None:
        raise ApiProblem(503, "This server cannot run a sync.")
    return await sync()


STARTERS: dict[str, Starter] = {"import": _start_import, "identify": _start_identify, "sync": _start_sync,
                                "download": _start_download}


async def start_job(request: Request) -> JSONResponse:
    query(request, ())
    opened = services(request)
    document = await _body(request)
    kind = document.get("kind")
    if kind not in STARTERS:
        raise ApiProblem(400, f"'kind' is one of {', '.join(STARTERS)}.")
    ref = await STARTERS[kind](request, opened, document)
    return JSONResponse({"ref": ref, "kind": kind, "href": f"{API}/jobs/{ref}"}, status_code=202,
                        headers={"Location": f"{API}/jobs/{ref}"})


async def follow_job(request: Request) -> JSONResponse:
    query(request, ())
    ref = request.path_params["ref"]
    if not correlation.is_valid(ref):
        raise ApiProblem(404, f"There is no job {ref[:20]!r}.")

    def read() -> JobState | None:
        with request.app.state.ctx.reading() as connection:
            job = job_state(connection, ref)
            # A download's import runs as a job under the download's own Ref: the download, whose state
            # runs on to "imported", is what was asked for. A job that queued downloads stays itself.
            if job is None or job.kind == "import":
                return download_state(connection, ref) or job
            return job

    found = await run_in_threadpool(read)
    if found is None:  # queued a moment ago: the worker writes its row at its next turn
        raise ApiProblem(404, f"There is no job {ref} (yet: a job just started is listed within a moment).")
    return JSONResponse(job_json(found))
