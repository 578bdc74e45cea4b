"""A counter that moves with everything the series gap analysis reads.

Triggers bump ``revisions.counter`` for ``series`` on any change to series, their entries
and listings, files, and the columns of works the analysis reads. A saved analysis that
carries the counter it was made at is still right exactly when the counter has not moved,
which one read of one row tells at start-up.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_BUMP = "UPDATE revisions SET counter = counter + 1 WHERE name = 'series';"
# (trigger name, event) pairs: every table and column the analysis reads.
TRIGGERS = (
    ("series_rev_series_ins", "AFTER INSERT ON series"),
    ("series_rev_series_upd", "AFTER UPDATE ON series"),
    ("series_rev_series_del", "AFTER DELETE ON series"),
    ("series_rev_entries_ins", "AFTER INSERT ON series_entries"),
    ("series_rev_entries_upd", "AFTER UPDATE ON series_entries"),
    ("series_rev_entries_del", "AFTER DELETE ON series_entries"),
    ("series_rev_listings_ins", "AFTER INSERT ON series_listings"),
    ("series_rev_listings_upd", "AFTER UPDATE ON series_listings"),
    ("series_rev_listings_del", "AFTER DELETE ON series_listings"),
    ("series_rev_files_ins", "AFTER INSERT ON files"),
    ("series_rev_files_upd", "AFTER UPDATE OF work_id, media_kind ON files"),
    ("series_rev_files_del", "AFTER DELETE ON files"),
    ("series_rev_works_upd",
     "AFTER UPDATE OF title, status, formats, wanted_kinds, authors_display, first_published, language ON works"),
    ("series_rev_works_del", "AFTER DELETE ON works"),
)


def upgrade() -> None:
    op.create_table('revisions',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.execute("INSERT INTO revisions (name, counter) VALUES ('series', 0)")
    for name, event in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN {_BUMP} END")


def downgrade() -> None:
    for name, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('revisions')
