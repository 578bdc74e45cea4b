"""A request's query string, checked before anything reads it: hostile or huge ones are refused (400).

Every API route names the parameters it takes; a name it does not take, a name given twice, a value
with control characters or past ``MAX_VALUE`` characters, or a query string past ``MAX_QUERY`` bytes is
refused with what was wrong, never passed on to SQLite or trimmed quietly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from starlette.requests import Request

from bookdesk.serve.problems import ApiProblem

MAX_QUERY = 2048
MAX_VALUE = 256


def query(request: Request, allowed: Iterable[str]) -> dict[str, str]:
    """The query parameters of ``request``, each once and each one of ``allowed``."""
    raw = request.scope.get("query_string", b"")
    if len(raw) > MAX_QUERY:
        raise ApiProblem(400, f"The query string is longer than {MAX_QUERY} bytes.")
    allowed = set(allowed)
    found: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name not in allowed:
            names = ", ".join(sorted(allowed)) or "none"
            raise ApiProblem(400, f"Unknown parameter {name[:40]!r}; this address takes: {names}.")
        if name in found:
            raise ApiProblem(400, f"The parameter {name!r} is given more than once.")
        if len(value) > MAX_VALUE or any(unicodedata.category(c) == "Cc" for c in value):
            raise ApiProblem(400, f"The parameter {name!r} is too long or holds control characters.")
        found[name] = value
    return found


def whole_number(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    text = params.get(name)
    if text is None:
        return default
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise ApiProblem(400, f"The parameter {name!r} is a whole number from {low} to {high}.")
    return int(text)


def one_of(params: dict[str, str], name: str, choices: Iterable[str], default: str | None) -> str | None:
    text = params.get(name)
    if text is None:
        return default
    choices = tuple(choices)
    if text not in choices:
        raise ApiProblem(400, f"The parameter {name!r} is one of: {', '.join(choices)}.")
    return text
