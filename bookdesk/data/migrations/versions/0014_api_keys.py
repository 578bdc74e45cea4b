"""The keys of the local API (issue 19): each with its name, its scope (read, or read and write), when it
was made and when revoked, and only a SHA-256 hash of the key itself; the key lives in the keyring.

A revoked key keeps its row, so the Settings page and ``bookdesk keys list`` can still say when it was
revoked; its name may be given to a new key. A new table only: nothing else is touched.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""CREATE TABLE api_keys (
        id INTEGER NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
        key_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    )""")
    # One key in force per name; revoked ones stay beside it as a record.
    op.execute("CREATE UNIQUE INDEX ix_api_keys_name_in_force ON api_keys (name) WHERE revoked_at IS NULL")


def downgrade() -> None:
    op.execute("DROP INDEX ix_api_keys_name_in_force")
    op.execute("DROP TABLE api_keys")
