"""The ``api_keys`` table (migration 0014), plain SQL over any DB-API connection: the server checks a key
over its read-only ``sqlite3`` connection, ``bookdesk keys`` writes through the catalog's."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ApiKeyRow:
    name: str
    scope: str  # "read" or "write"
    created_at: str  # ISO 8601, UTC
    revoked_at: str | None


_COLUMNS = "name, scope, created_at, revoked_at"


def insert_key(connection: sqlite3.Connection, name: str, scope: str, key_hash: str, now: str) -> bool:
    """Add a key; False when a key of that name is in force already."""
    try:
        connection.execute("INSERT INTO api_keys (name, scope, key_hash, created_at) VALUES (?, ?, ?, ?)",
                           (name, scope, key_hash, now))
    except sqlite3.IntegrityError:
        return False
    return True


def revoke_key(connection: sqlite3.Connection, name: str, now: str) -> bool:
    """Revoke the key of that name in force; False when there is none."""
    cursor = connection.execute("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                                (now, name))
    return cursor.rowcount > 0


def listed_keys(connection: sqlite3.Connection) -> list[ApiKeyRow]:
    """Every key, those in force first, each group by name."""
    rows = connection.execute(f"SELECT {_COLUMNS} FROM api_keys "
                              "ORDER BY revoked_at IS NOT NULL, name COLLATE NOCASE, created_at")
    return [ApiKeyRow(*row) for row in rows]


def key_in_force(connection: sqlite3.Connection, key_hash: str) -> ApiKeyRow | None:
    """The key in force with that hash, or None (unknown or revoked)."""
    row = connection.execute(f"SELECT {_COLUMNS} FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                             (key_hash,)).fetchone()
    return None if row is None else ApiKeyRow(*row)
