"""Each series' gap answer kept in the catalog with what it was worked out from.

Working out every series' gaps of a 100,000-book library takes most of a second; ``bookdesk gaps`` did it
on every run. A *set* is the answers under one key (the gap policy, the day, the providers' order) and
the ``series`` revision (migration 0006) they were all current at; each answer keeps its series'
fingerprint (data/gap_fingerprints.py), its listings' stamp and its series row, so after a change only
the series whose readings differ are worked out again. ``generation`` moves with every save, so a
process that saves after another one's save cannot claim its revision for rows it did not check.
Nothing points at these tables: they are a cache, and dropping them loses no book.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""CREATE TABLE gap_answer_sets (
        id INTEGER NOT NULL PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        revision INTEGER,
        generation INTEGER NOT NULL DEFAULT 0,
        saved_at TEXT NOT NULL)""")
    op.execute("""CREATE TABLE gap_answers (
        set_id INTEGER NOT NULL REFERENCES gap_answer_sets (id) ON DELETE CASCADE,
        series_id INTEGER NOT NULL,
        fingerprint INTEGER NOT NULL,
        stamp TEXT NOT NULL,
        series_row TEXT NOT NULL,
        has_books INTEGER NOT NULL,
        authors TEXT NOT NULL,
        answer TEXT NOT NULL,
        books TEXT NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (set_id, series_id))""")


def downgrade() -> None:
    op.execute("DROP TABLE gap_answers")
    op.execute("DROP TABLE gap_answer_sets")
