"""``GET /health/ready``: whether this server can do its work now: the catalog can be written, the
worker runs, and the library's disk has room. 200 when all three hold, else 503 naming what does not."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from bookdesk.data.catalog_file import CATALOG_NAME
from bookdesk.data.library_access import MIN_FREE_BYTES, probe
from bookdesk.serve.context import ServeContext


def _checks(ctx: ServeContext) -> dict[str, dict]:
    access = probe(ctx.library, ctx.library / CATALOG_NAME)
    denied = access.catalog_write_denied or access.folder_write_denied or (
        "the catalog is missing" if not access.catalog_exists else "")
    free = access.free_bytes
    worker = ctx.services.worker if ctx.services is not None else None
    return {
        "catalog_writable": {"ok": not denied and not access.read_only_file_system,
                             "detail": denied or ("read-only file system" if access.read_only_file_system else "")},
        "worker_alive": {"ok": worker is not None and worker.running,
                         "detail": "" if worker is not None else "no worker: this server only reads"},
        "disk_space": {"ok": free is None or free >= MIN_FREE_BYTES, "free_bytes": free},
    }


async def ready(request: Request) -> JSONResponse:
    checks = await run_in_threadpool(_checks, request.app.state.ctx)
    ok = all(c["ok"] for c in checks.values())
    return JSONResponse({"status": "ready" if ok else "not ready", "checks": checks}, status_code=200 if ok else 503)
