"""What Remove from Library, Remove Format, Merge Books and Split Format keep to be undone: one row
per book (or pair of books) acted on, with the catalog rows as they were (a JSON snapshot: the work, its
people, series entries, identifiers, tags, files and their history) and where each file went in the
system trash. ``bookdesk undo REF`` reads the rows of that Ref.

A new table only: nothing of ``works`` is rebuilt, so neither way loses a book (a batch rebuild of
``works`` would take every book's entries, files and history with it through ON DELETE CASCADE).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'removals',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('correlation_id', sa.String(length=16), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('snapshot_json', sa.Text(), nullable=False),
        sa.Column('trashed_json', sa.Text(), nullable=False, server_default='[]'),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_removals_correlation_id', 'removals', ['correlation_id'])


def downgrade() -> None:
    op.drop_index('ix_removals_correlation_id', table_name='removals')
    op.drop_table('removals')
