"""BookDesk and Audiobookshelf servers as one library: which server item each work is (``abs_links``,
with the item's metadata as last pulled, the base a later push compares with), what a push sent to a
server so that it can be undone there (``abs_pushes``), and on ``works`` the servers holding each book
(``on_server``, kept in step by the links' repository so that the Library's column and filter stay one
query on one table).

New tables and one added column only: nothing of ``works`` is rebuilt, so neither way loses a book.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('works', sa.Column('on_server', sa.Text(), nullable=False, server_default=''))
    op.create_index('ix_works_on_server', 'works', ['on_server', 'id'])
    op.create_table(
        'abs_links',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('server', sa.Text(), nullable=False),
        sa.Column('library_id', sa.Text(), nullable=False),
        sa.Column('item_id', sa.Text(), nullable=False),
        sa.Column('work_id', sa.Integer(), sa.ForeignKey('works.id', ondelete='CASCADE'), nullable=False),
        sa.Column('matched_by', sa.String(length=16), nullable=False),
        sa.Column('has_audio', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('has_ebook', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('item_path', sa.Text(), nullable=False, server_default=''),
        sa.Column('item_updated_at', sa.Integer(), nullable=True),
        sa.Column('metadata_json', sa.Text(), nullable=False, server_default='{}'),
        sa.Column('finished', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('progress', sa.Float(), nullable=True),
        sa.Column('duration_seconds', sa.Float(), nullable=True),
        sa.Column('linked_at', sa.DateTime(), nullable=False),
        sa.Column('pulled_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('server', 'item_id', name='uq_abs_links_server_item'),
    )
    op.create_index('ix_abs_links_work', 'abs_links', ['work_id', 'has_audio', 'has_ebook'])
    op.create_table(
        'abs_pushes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('correlation_id', sa.String(length=16), nullable=False),
        sa.Column('server', sa.Text(), nullable=False),
        sa.Column('item_id', sa.Text(), nullable=False),
        sa.Column('work_id', sa.Integer(), sa.ForeignKey('works.id', ondelete='SET NULL'), nullable=True),
        sa.Column('field', sa.String(length=32), nullable=False),
        sa.Column('old_value', sa.Text(), nullable=True),
        sa.Column('new_value', sa.Text(), nullable=True),
        sa.Column('pushed_at', sa.DateTime(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_abs_pushes_correlation_id', 'abs_pushes', ['correlation_id'])


def downgrade() -> None:
    op.drop_index('ix_abs_pushes_correlation_id', table_name='abs_pushes')
    op.drop_table('abs_pushes')
    op.drop_index('ix_abs_links_work', table_name='abs_links')
    op.drop_table('abs_links')
    op.drop_index('ix_works_on_server', table_name='works')
    # SQLite's own DROP COLUMN, not a batch rebuild: dropping ``works`` would take every book's
    # entries, files and history with it through ON DELETE CASCADE.
    op.drop_column('works', 'on_server')
