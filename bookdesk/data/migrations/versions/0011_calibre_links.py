"""A calibre library kept in step with BookDesk: which calibre book each work came from (``calibre_links``:
the calibre library's folder and uuid, the book's id and uuid, calibre's last-modified time at the last run,
and the fields as they came over then, the base a later run compares both sides with), and the values of
calibre's custom columns on each work (``custom_fields``, shown as fields named after the column).

New tables only: nothing of ``works`` is rebuilt, so neither way loses a book.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'calibre_links',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('work_id', sa.Integer(), sa.ForeignKey('works.id', ondelete='CASCADE'), nullable=False),
        sa.Column('library', sa.Text(), nullable=False),
        sa.Column('library_uuid', sa.Text(), nullable=False, server_default=''),
        sa.Column('book_id', sa.Integer(), nullable=False),
        sa.Column('book_uuid', sa.Text(), nullable=False, server_default=''),
        sa.Column('last_modified', sa.Text(), nullable=False, server_default=''),
        sa.Column('fields_json', sa.Text(), nullable=False, server_default='{}'),
        sa.Column('correlation_id', sa.String(length=16), nullable=True),
        sa.Column('synced_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('library', 'book_id', name='uq_calibre_links_library_book'),
    )
    op.create_index('ix_calibre_links_work_id', 'calibre_links', ['work_id'])
    op.create_table(
        'custom_fields',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('work_id', sa.Integer(), sa.ForeignKey('works.id', ondelete='CASCADE'), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('value_json', sa.Text(), nullable=False),
        sa.Column('source', sa.String(length=64), nullable=False),
        sa.UniqueConstraint('work_id', 'name', name='uq_custom_fields_work_name'),
    )


def downgrade() -> None:
    op.drop_table('custom_fields')
    op.drop_index('ix_calibre_links_work_id', table_name='calibre_links')
    op.drop_table('calibre_links')
