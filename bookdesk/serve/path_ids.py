"""The one check of an id taken from a request's path (``/books/{id:int}``, ``/opds/covers/{id:int}``).

Starlette's ``int`` holds digits only but any number of them; SQLite's INTEGER stops at 2**63 - 1, and
a larger number handed to it raises OverflowError (a 500). No row has such an id, nor 0: each is 404.
"""

from __future__ import annotations

from starlette.requests import Request

from bookdesk.errors import NotFoundError

SQLITE_MAX = 2**63 - 1


def is_catalog_id(value: object) -> bool:
    """Whether ``value`` can be the id of a row (a JSON body's ids are checked with it too)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= SQLITE_MAX


def path_id(request: Request, name: str) -> int:
    value = request.path_params[name]
    if not is_catalog_id(value):
        raise NotFoundError("Nothing is here.")
    return value
