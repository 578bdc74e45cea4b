"""``GET /api/v1/openapi.json``: the API described in OpenAPI 3.1, made from the route table."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse

import bookdesk
from bookdesk.serve.api.shapes import API

_PATH_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
_ERROR = {"description": "An error: {\"error\": {\"message\", \"ref\"}}; the Ref is also in X-Request-ID.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def document() -> dict:
    from bookdesk.serve.api.routes import ENDPOINTS

    paths: dict[str, dict] = {}
    for e in ENDPOINTS:
        names = _PATH_PARAM.findall(e.path)
        parameters = [{"name": n, "in": "path", "required": True,
                       "schema": {"type": "integer" if n.endswith("_id") else "string"}} for n in names]
        parameters += [{"name": p, "in": "query", "required": False, "schema": {"type": "string"}} for p in e.params]
        operation = {
            "summary": e.summary,
            "operationId": e.endpoint.__name__,
            "parameters": parameters,
            "security": [{"bearer": []}],
            "responses": {"202" if e.writes else "200": {"description": "Done.", "content": {e.answers: {}}},
                          "400": _ERROR, "401": _ERROR, "403": _ERROR, "404": _ERROR, "429": _ERROR},
        }
        if e.writes:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["kind"],
                "properties": {"kind": {"enum": ["import", "identify", "sync", "download"]}}}}}}
        paths.setdefault(API + _PATH_PARAM.sub(r"{\1}", e.path), {})[e.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "BookDesk local API", "version": bookdesk.__version__,
                 "description": "Send Authorization: Bearer KEY (bookdesk keys add NAME). A read-only key "
                                "may not start jobs (403)."},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "message": {"type": "string"}, "ref": {"type": "string"}}}}}},
        },
    }


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(document())
