"""Secrets (provider tokens, API keys, client passwords) live only behind a ``SecretStore``.

core defines the protocol and an in-memory store for tests and for machines without a
keyring when the user declines to store secrets in a file; the UI layer supplies the OS
keyring. No secret is ever written to the catalog, the settings file or a log line.
"""

from __future__ import annotations

import re
import threading
from typing import Protocol

from bookdesk.errors import BookDeskError
from bookdesk.redaction import remember

SERVICE = "BookDesk"

# The names secrets are kept under.
HARDCOVER_TOKEN = "hardcover-token"
GOOGLEBOOKS_KEY = "googlebooks-api-key"
# The password e-readers give for the OPDS feeds when sharing reaches the local network.
SHARING_OPDS_PASSWORD = "sharing-opds-password"


def source_secret(kind: str, name: str) -> str:
    """The name a source's secret is kept under: ``kind`` is opds (a password), indexer (an API key),
    client (a download client's password) or audiobookshelf (a server's API key); ``name`` is the
    source's name in the settings."""
    if kind not in ("opds", "indexer", "client", "audiobookshelf"):
        raise ValueError(f"unknown source kind {kind!r}")
    return f"{kind}:{name}"


def api_key_secret(name: str) -> str:
    """The name a key of the local API is kept under, so the Sharing page can show it again; the catalog
    keeps only its hash (core/api_keys.py)."""
    return f"api-key:{name}"


def environment_variable(name: str) -> str:
    """Where a secret may be given for one run instead: ``hardcover-token`` -> ``BOOKDESK_HARDCOVER_TOKEN``;
    ``indexer:My Prowlarr`` -> ``BOOKDESK_INDEXER_MY_PROWLARR``: every run of other characters than
    letters and digits is one underscore, so a shell can set it."""
    return "BOOKDESK_" + re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")


def address_secret(address: str) -> str:
    """The name the credentials taken out of a download's address (``user:password@``, ``?apikey=``)
    are kept under: that download's stored address (see acquisition/address_login.py)."""
    return f"address:{address}"


class SecretsUnavailableError(BookDeskError):
    """The system keyring would not read or keep a secret (locked, its prompt cancelled, no default
    keyring): said in the window where the secret was wanted, never the end of BookDesk."""

    retryable = True


class SecretStore(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...

    @property
    def persistent(self) -> bool:
        """False when secrets last only while BookDesk runs (no keyring on this machine)."""


class InMemorySecretStore:
    """Secrets for this run only. Every value it hands out or keeps is remembered for redaction."""

    persistent = False

    def __init__(self, initial: dict[str, str] | None = None) -> None:
        self._values = dict(initial or {})
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        with self._lock:
            value = self._values.get(name)
        remember(value)
        return value

    def set(self, name: str, value: str) -> None:
        remember(value)
        with self._lock:
            self._values[name] = value

    def delete(self, name: str) -> None:
        with self._lock:
            self._values.pop(name, None)
