"""The one reading of a server's ``Retry-After``: delta seconds or an HTTP date, as seconds from now.

The rate limiter (every provider's 429 and 503), Torznab, the download clients and the download
queue's fetch all ask this; none parses the header itself. Anything else a server may put there (a
negative number, words, ``inf``) is no advice at all: the caller falls back on its own backoff.
"""

from __future__ import annotations

import math
import re
import time
from email.utils import parsedate_to_datetime

# A server asking for more than a day is not believed beyond that: a job or a download waits at most so long.
MAX_RETRY_AFTER = 24 * 3600.0

_DELTA = re.compile(r"\d+(?:\.\d+)?")  # RFC 9110: 1*DIGIT; a decimal is taken too, as servers send it


def retry_after_seconds(value: str | None, *, now: float | None = None, cap: float = MAX_RETRY_AFTER) -> float | None:
    """Seconds to wait that ``value`` asks for, between 0 and ``cap``; None when it asks nothing
    readable. ``now`` is the wall clock (``time.time()`` unless given) an HTTP date is counted from."""
    text = (value or "").strip()
    if not text:
        return None
    if _DELTA.fullmatch(text):
        seconds = float(text)
    else:
        seconds = _until_date(text, time.time() if now is None else now)
        if seconds is None:
            return None
    if math.isnan(seconds):
        return None
    return min(max(0.0, seconds), cap)


def _until_date(text: str, now: float) -> float | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    try:
        return moment.timestamp() - now
    except (OverflowError, OSError, ValueError):
        return None
