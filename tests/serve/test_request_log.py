"""Every answer carries its request's id; anything that escapes a route is a JSON 500 with that Ref,
never a traceback."""

from __future__ import annotations

import httpx
from starlette.routing import Route

from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from tests.servers.bookdesk_server import served


async def _broken(request):
    raise RuntimeError("secret internals /home/someone/.config")


def test_a_route_that_breaks_answers_json_with_the_ref_and_no_traceback(filled_library, caplog):
    app = build_app(ServeContext(library=filled_library))
    app.router.routes.append(Route("/broken", _broken))
    with served(app) as base:
        answer = httpx.get(f"{base}/broken")
    assert answer.status_code == 500
    ref = answer.headers["x-request-id"]
    assert answer.json()["error"] == {"ref": ref, "message": answer.json()["error"]["message"]}
    assert ref in answer.json()["error"]["message"]
    assert "Traceback" not in answer.text and "internals" not in answer.text
    [failure] = [r for r in caplog.records if r.getMessage() == "request failed unexpectedly"]
    assert failure.exc_info is not None  # the traceback is in the log, under the request's line
    assert any(r.getMessage().startswith(f"{ref} 127.0.0.1 GET /broken 500") for r in caplog.records)


def test_each_request_has_its_own_id(filled_library):
    with served(build_app(ServeContext(library=filled_library))) as base, httpx.Client() as client:
        ids = {client.get(f"{base}/health").headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5
