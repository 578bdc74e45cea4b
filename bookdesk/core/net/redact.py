"""Keeping keys and tokens out of logs and off the disk."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that carry a credential in the APIs BookDesk talks to (Google's ``key``) or might.
SECRET_PARAMS = frozenset({"key", "token", "api_key", "apikey", "access_token", "auth", "password", "secret",
                           "client_secret", "signature", "sig"})
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"})
MASK = "***"


def _is_secret(name: str) -> bool:
    return name.lower() in SECRET_PARAMS


def redact_url(url: str) -> str:
    """``url`` with the value of every credential parameter masked, for a log line."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = [(k, MASK if _is_secret(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(pairs, safe="*:,")))


def strip_secrets(url: str) -> str:
    """``url`` without its credential parameters, and with the rest in a stable order: what the cache
    keys and stores (the answer does not depend on whose key asked)."""
    parts = urlsplit(url)
    pairs = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_secret(k))
    netloc = parts.netloc.rsplit("@", 1)[-1]  # user:password@host
    return urlunsplit((parts.scheme.lower(), netloc.lower(), parts.path, urlencode(pairs), ""))


def safe_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """``headers`` without anything that authenticates."""
    return {k: v for k, v in (headers or {}).items() if k.lower() not in SECRET_HEADERS}
