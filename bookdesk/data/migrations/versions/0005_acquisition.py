"""Acquisition: what a download is and where it goes, and the blocklist of releases that failed.

Adds to ``downloads`` the columns the download queue and the download clients need (kind,
title, expected format and media kind, the ``.part`` file, the validator for ``If-Range``,
whether to import, the release it came from, the client's save path), and the ``blocklist``
table.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_NEW_COLUMNS = (
    ('kind', sa.String(length=16), 'http'),
    ('title', sa.Text(), None),
    ('file_name', sa.Text(), None),
    ('expected_format', sa.String(length=16), None),
    ('media_kind', sa.String(length=16), None),
    ('part_path', sa.Text(), None),
    ('path', sa.Text(), None),
    ('validator', sa.Text(), None),
    ('import_after', sa.Boolean(), '1'),
    ('indexer', sa.Text(), None),
    ('guid', sa.Text(), None),
    ('save_path', sa.Text(), None),
)


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, never a batch rebuild (see 0004).
    for name, type_, default in _NEW_COLUMNS:
        op.add_column('downloads', sa.Column(name, type_, server_default=default, nullable=default is None))
    op.create_table('blocklist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=True),
    sa.Column('indexer', sa.Text(), nullable=True),
    sa.Column('guid', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('correlation_id', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_blocklist_work_id', 'blocklist', ['work_id'], unique=False)
    op.create_index('ix_blocklist_guid', 'blocklist', ['guid'], unique=False)
    op.create_index('ix_blocklist_title', 'blocklist', ['title'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_blocklist_title', table_name='blocklist')
    op.drop_index('ix_blocklist_guid', table_name='blocklist')
    op.drop_index('ix_blocklist_work_id', table_name='blocklist')
    op.drop_table('blocklist')
    for name, _, _ in reversed(_NEW_COLUMNS):
        op.drop_column('downloads', name)
