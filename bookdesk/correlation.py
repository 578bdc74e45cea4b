"""Correlation ids: one short, readable id per job, carried by everything it touches.

The id is set in a ContextVar when a job starts, so log records, errors, field
changes and downloads made while the job runs can all be stamped with it without
passing it through every call.
"""

from __future__ import annotations

import contextvars
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

# Crockford's base 32 without I, L, O and U: nothing a person can misread over the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "BD-"

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("bookdesk_correlation_id", default=None)


def new_id() -> str:
    """A fresh id such as ``BD-7K3Q9`` (32**5, about 33 million, possibilities)."""
    return PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(5))


def current() -> str | None:
    """The id of the job running in this context, if any."""
    return _current.get()


def is_valid(text: str) -> bool:
    body = text[len(PREFIX):] if text.startswith(PREFIX) else ""
    return len(body) == 5 and all(ch in _ALPHABET for ch in body)


@contextmanager
def bound(correlation_id: str) -> Iterator[str]:
    """Run a block with ``correlation_id`` as the current id."""
    token = _current.set(correlation_id)
    try:
        yield correlation_id
    finally:
        _current.reset(token)
