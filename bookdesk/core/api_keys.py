"""Keys of the local API: made, listed, revoked, and checked for each request.

A key is 256 random bits, so a plain SHA-256 of it is what the catalog keeps (a slow password hash
guards guessable passwords; nothing guesses these). The key itself goes to the keyring under
``api_key_secret(name)`` so the window can show it again; where the keyring refuses, the key still
works and was shown once.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from bookdesk.core.secrets import SecretStore, SecretsUnavailableError, api_key_secret
from bookdesk.data.api_keys import ApiKeyRow, insert_key, key_in_force, listed_keys, revoke_key
from bookdesk.errors import NotFoundError, UsageError

log = logging.getLogger(__name__)

SCOPES = ("read", "write")
KEY_PREFIX = "bdk_"  # so a key found in a script or a leak is recognisable as BookDesk's
_MAX_NAME = 64
_MAX_KEY = 200  # anything longer is not a key of ours: not even hashed


@dataclass(frozen=True, slots=True)
class NewKey:
    name: str
    key: str
    scope: str
    kept: bool  # in the keyring, where the Sharing page can show it again


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > _MAX_NAME or any(unicodedata.category(c).startswith("C") for c in name):
        raise UsageError(f"A key's name is 1 to {_MAX_NAME} printable characters; {name[:_MAX_NAME]!r} is not.")
    return name


def add_key(connection: sqlite3.Connection, store: SecretStore, name: str, scope: str) -> NewKey:
    """A new key of ``scope`` named ``name``, its hash written through ``connection`` (the caller commits)."""
    name = checked_name(name)
    if scope not in SCOPES:
        raise UsageError(f"A key's scope is read or write, not {scope!r}.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    if not insert_key(connection, name, scope, key_hash(key), _now()):
        raise UsageError(f"A key named “{name}” exists already; revoke it first or choose another name.")
    try:
        store.set(api_key_secret(name), key)
        kept = store.persistent  # memory only, where no keyring exists: gone when this run ends
    except SecretsUnavailableError as exc:
        log.warning("the API key %s was not kept in the keyring: %s", name, exc.message)
        kept = False
    return NewKey(name, key, scope, kept)


def revoke(connection: sqlite3.Connection, store: SecretStore, name: str) -> None:
    """Revoke the key in force named ``name``: refused from the next request on."""
    if not revoke_key(connection, name, _now()):
        raise NotFoundError(f"No key named “{name}” is in force.")
    try:
        store.delete(api_key_secret(name))
    except SecretsUnavailableError as exc:  # revoked all the same: the catalog decides, not the keyring
        log.warning("the revoked API key %s is still in the keyring: %s", name, exc.message)


def all_keys(connection: sqlite3.Connection) -> list[ApiKeyRow]:
    return listed_keys(connection)


def key_for(connection: sqlite3.Connection, key: str) -> ApiKeyRow | None:
    """The key in force that ``key`` is, or None."""
    if not key.startswith(KEY_PREFIX) or len(key) > _MAX_KEY:
        return None
    return key_in_force(connection, key_hash(key))
