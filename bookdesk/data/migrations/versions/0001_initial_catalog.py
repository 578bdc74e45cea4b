"""The initial catalog: works, files, people, series, history, downloads, jobs, schedules, search.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


# 215 lines, and kept so: a migration is a frozen record of the schema it made and is never edited or split.
def upgrade() -> None:
    op.create_table('authors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('sort_name', sa.Text(), nullable=False),
    sa.Column('provider_ids', sa.Text(), nullable=False),
    sa.Column('monitored', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('correlation_id', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('correlation_id')
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_created_at'), ['created_at'], unique=False)

    op.create_table('schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_kind', sa.String(length=32), nullable=False),
    sa.Column('interval_seconds', sa.Integer(), nullable=True),
    sa.Column('rule', sa.Text(), nullable=True),
    sa.Column('last_run', sa.DateTime(), nullable=True),
    sa.Column('next_run', sa.DateTime(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('job_kind')
    )
    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('sort_name', sa.Text(), nullable=False),
    sa.Column('provider_ids', sa.Text(), nullable=False),
    sa.Column('monitored', sa.Boolean(), nullable=False),
    sa.Column('total_count', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('works',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('sort_title', sa.Text(), nullable=False),
    sa.Column('subtitle', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=True),
    sa.Column('publisher', sa.Text(), nullable=True),
    sa.Column('first_published', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('cover_path', sa.Text(), nullable=True),
    sa.Column('locked_fields', sa.Text(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('title_key', sa.Text(), nullable=False),
    sa.Column('authors_display', sa.Text(), nullable=False),
    sa.Column('author_key', sa.Text(), nullable=False),
    sa.Column('series_display', sa.Text(), nullable=False),
    sa.Column('series_key', sa.Text(), nullable=False),
    sa.Column('series_index', sa.Float(), nullable=True),
    sa.Column('formats', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.create_index('ix_works_added_at', ['added_at', 'id'], unique=False)
        batch_op.create_index('ix_works_author_key', ['author_key', 'title_key', 'id'], unique=False)
        batch_op.create_index('ix_works_first_published', ['first_published', 'id'], unique=False)
        batch_op.create_index('ix_works_formats', ['formats', 'id'], unique=False)
        batch_op.create_index('ix_works_series_key', ['series_key', 'series_index', 'id'], unique=False)
        batch_op.create_index('ix_works_status', ['status', 'id'], unique=False)
        batch_op.create_index('ix_works_title_key', ['title_key', 'id'], unique=False)

    op.create_table('author_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['authors.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('alias')
    )
    with op.batch_alter_table('author_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_author_aliases_author_id'), ['author_id'], unique=False)

    op.create_table('contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['authors.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('work_id', 'author_id', 'role', name='uq_contributions')
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributions_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_work_id'), ['work_id'], unique=False)

    op.create_table('downloads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('client', sa.String(length=32), nullable=True),
    sa.Column('client_id', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('bytes_total', sa.Integer(), nullable=True),
    sa.Column('bytes_done', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_retry_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('correlation_id', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('downloads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_downloads_correlation_id'), ['correlation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_downloads_work_id'), ['work_id'], unique=False)

    op.create_table('field_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('correlation_id', sa.String(length=16), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('undone', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('field_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_field_changes_correlation_id'), ['correlation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_field_changes_work_id'), ['work_id'], unique=False)

    op.create_table('files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('media_kind', sa.String(length=16), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('mtime', sa.Float(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('chapters_json', sa.Text(), nullable=True),
    sa.Column('narrators', sa.Text(), nullable=True),
    sa.Column('source_path', sa.Text(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('path')
    )
    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_files_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_files_work_id'), ['work_id'], unique=False)

    op.create_table('identifiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('work_id', 'scheme', name='uq_identifiers_work_scheme')
    )
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.create_index('ix_identifiers_scheme_value', ['scheme', 'value'], unique=False)
        batch_op.create_index(batch_op.f('ix_identifiers_work_id'), ['work_id'], unique=False)

    op.create_table('series_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('sort_key', sa.Float(), nullable=True),
    sa.Column('sort_key_end', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('series_id', 'work_id', name='uq_series_entries')
    )
    with op.batch_alter_table('series_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_entries_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_entries_work_id'), ['work_id'], unique=False)

    op.create_table('work_tags',
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('work_id', 'tag')
    )

    # Full-text search over what a person types: title, people, series, tags, identifiers.
    # unicode61 with remove_diacritics 2 folds "Brontë" to "bronte"; prefix indexes keep
    # search-as-you-type fast on short prefixes.
    op.execute(
        "CREATE VIRTUAL TABLE work_fts USING fts5("
        "title, authors, series, tags, identifiers, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )

def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS work_fts")
    op.drop_table('work_tags')
    with op.batch_alter_table('series_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_entries_work_id'))
        batch_op.drop_index(batch_op.f('ix_series_entries_series_id'))

    op.drop_table('series_entries')
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identifiers_work_id'))
        batch_op.drop_index('ix_identifiers_scheme_value')

    op.drop_table('identifiers')
    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_files_work_id'))
        batch_op.drop_index(batch_op.f('ix_files_content_hash'))

    op.drop_table('files')
    with op.batch_alter_table('field_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_field_changes_work_id'))
        batch_op.drop_index(batch_op.f('ix_field_changes_correlation_id'))

    op.drop_table('field_changes')
    with op.batch_alter_table('downloads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_downloads_work_id'))
        batch_op.drop_index(batch_op.f('ix_downloads_correlation_id'))

    op.drop_table('downloads')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributions_work_id'))
        batch_op.drop_index(batch_op.f('ix_contributions_author_id'))

    op.drop_table('contributions')
    with op.batch_alter_table('author_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_author_aliases_author_id'))

    op.drop_table('author_aliases')
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.drop_index('ix_works_title_key')
        batch_op.drop_index('ix_works_status')
        batch_op.drop_index('ix_works_series_key')
        batch_op.drop_index('ix_works_formats')
        batch_op.drop_index('ix_works_first_published')
        batch_op.drop_index('ix_works_author_key')
        batch_op.drop_index('ix_works_added_at')

    op.drop_table('works')
    op.drop_table('series')
    op.drop_table('schedules')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_created_at'))

    op.drop_table('jobs')
    op.drop_table('authors')
