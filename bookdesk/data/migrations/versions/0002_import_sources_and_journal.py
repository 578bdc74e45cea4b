"""Import sources (cheap re-import, undo of an import) and the import journal (crash safety).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_journal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_path', sa.Text(), nullable=False),
    sa.Column('source_path', sa.Text(), nullable=False),
    sa.Column('correlation_id', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('import_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_path', sa.Text(), nullable=False),
    sa.Column('target_path', sa.Text(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('mtime_ns', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('created_work', sa.Boolean(), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('correlation_id', sa.String(length=16), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('import_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_sources_correlation_id'), ['correlation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_sources_source_path'), ['source_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_sources_work_id'), ['work_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('import_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_sources_work_id'))
        batch_op.drop_index(batch_op.f('ix_import_sources_source_path'))
        batch_op.drop_index(batch_op.f('ix_import_sources_correlation_id'))

    op.drop_table('import_sources')
    op.drop_table('import_journal')
