"""Series gaps: provider listings per series, a history of checks, and the ignore rules.

Adds ``series.ignored`` (not interested in a series), ``works.cover_url`` and
``works.wanted_kinds`` (what a wanted book is known by, and which media kinds are wanted),
the tables ``series_listings`` and ``series_checks``, and an index of files by work and
media kind (the gap analysis reads which kinds each work has from the index alone).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('series_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('media_kind', sa.String(length=16), nullable=False),
    sa.Column('owned', sa.Integer(), nullable=False),
    sa.Column('missing', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('sources', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('series_checks', schema=None) as batch_op:
        batch_op.create_index('ix_series_checks_series_id', ['series_id', 'checked_at'], unique=False)

    op.create_table('series_listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('provider_series_id', sa.Text(), nullable=True),
    sa.Column('series_name', sa.Text(), nullable=False),
    sa.Column('total_primary', sa.Integer(), nullable=True),
    sa.Column('books_json', sa.Text(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('series_id', 'source', name='uq_series_listings_series_source')
    )
    # Plain ALTER TABLE ADD COLUMN, never a batch: a batch would rebuild ``works`` by dropping it, and with
    # foreign keys on, dropping it deletes every file, credit and series entry through ON DELETE CASCADE.
    # (A text() server default alone makes Alembic's batch choose the rebuild.) A string default fills
    # the rows already there, and a 100,000-book catalog migrates in an instant.
    op.add_column('series', sa.Column('ignored', sa.Boolean(), server_default='0', nullable=False))
    op.add_column('works', sa.Column('cover_url', sa.Text(), nullable=True))
    op.add_column('works', sa.Column('wanted_kinds', sa.Text(), server_default='', nullable=False))
    op.create_index('ix_files_work_kind', 'files', ['work_id', 'media_kind'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_files_work_kind', table_name='files')
    # ALTER TABLE DROP COLUMN (SQLite 3.35+), again never a rebuild of ``works``.
    op.drop_column('works', 'wanted_kinds')
    op.drop_column('works', 'cover_url')
    op.drop_column('series', 'ignored')

    op.drop_table('series_listings')
    with op.batch_alter_table('series_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_series_checks_series_id')

    op.drop_table('series_checks')
