"""Books have a read state: unread, reading or finished, as a person marks them (Edit Metadata,
bulk edit, ``bookdesk edit --read-state``) or as a server's progress says. Every book starts unread.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('works', sa.Column('read_state', sa.String(length=16), nullable=False, server_default='unread'))
    op.create_index('ix_works_read_state', 'works', ['read_state', 'id'])


def downgrade() -> None:
    op.drop_index('ix_works_read_state', table_name='works')
    # SQLite's own DROP COLUMN, not a batch rebuild: dropping ``works`` would take every book's
    # entries, files and history with it through ON DELETE CASCADE.
    op.drop_column('works', 'read_state')
