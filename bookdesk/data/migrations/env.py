"""Alembic environment: always run with the connection the catalog opened."""

from __future__ import annotations

from alembic import context

from bookdesk.data.models import Base

connection = context.config.attributes["connection"]


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001 - Alembic hook
    # The FTS5 table and its shadow tables are made by hand in 0001; the models do not describe them.
    return not (type_ == "table" and name.startswith("work_fts"))


context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  include_object=include_object)
with context.begin_transaction():
    context.run_migrations()
