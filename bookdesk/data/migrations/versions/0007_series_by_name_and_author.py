"""Series are known by name and author: two authors' "Archive Saga" are two series.

``series.name`` is no longer unique (an index remains), and every series that merged several
authors' books is split by the rule of ``data/series_identity.py``, replayed over its books in
the order they joined it. The first group keeps the series (its flags, provider ids and history
of checks); every other group becomes a new series of that name with the same monitored and
ignored flags. A split series' provider listings and count were fetched for the merged one and
may be anybody's: they are dropped, so the next check fetches each series' own.

SQLite keeps a UNIQUE in the table itself, so ``series`` is rebuilt. Dropping it would delete its
entries, listings and checks through ON DELETE CASCADE (foreign keys cannot be turned off inside
the migration's transaction), so they are kept aside in temporary tables and put back; the
triggers of 0006 on ``series`` go with the table and are made again.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_CHILDREN = ("series_entries", "series_listings", "series_checks")
_COLUMNS = "id, name, sort_name, provider_ids, monitored, total_count, ignored"
_BUMP = "UPDATE revisions SET counter = counter + 1 WHERE name = 'series';"
_TRIGGERS = (  # those of 0006 on the series table itself
    ("series_rev_series_ins", "AFTER INSERT ON series"),
    ("series_rev_series_upd", "AFTER UPDATE ON series"),
    ("series_rev_series_del", "AFTER DELETE ON series"),
)


def _rebuild(unique_name: bool) -> None:
    """Make ``series`` again with or without UNIQUE (name), keeping every row of it and of its children."""
    for child in _CHILDREN:
        op.execute(f"CREATE TEMP TABLE kept_{child} AS SELECT * FROM {child}")
    op.execute(f"""CREATE TABLE series_rebuilt (
        id INTEGER NOT NULL,
        name TEXT NOT NULL,
        sort_name TEXT NOT NULL,
        provider_ids TEXT NOT NULL,
        monitored BOOLEAN NOT NULL,
        total_count INTEGER,
        ignored BOOLEAN DEFAULT '0' NOT NULL,
        PRIMARY KEY (id){', UNIQUE (name)' if unique_name else ''}
    )""")
    op.execute(f"INSERT INTO series_rebuilt ({_COLUMNS}) SELECT {_COLUMNS} FROM series")
    op.execute("DROP TABLE series")  # takes the children's rows with it (ON DELETE CASCADE)
    op.execute("ALTER TABLE series_rebuilt RENAME TO series")
    if not unique_name:
        op.execute("CREATE INDEX ix_series_name ON series (name)")
    for child in _CHILDREN:
        op.execute(f"INSERT INTO {child} SELECT * FROM kept_{child}")
        op.execute(f"DROP TABLE kept_{child}")
    for name, event in _TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN {_BUMP} END")


def upgrade() -> None:
    _rebuild(unique_name=False)
    _split_merged_series()


def _split_merged_series() -> None:
    from bookdesk.data.series_identity import people_keys, split_by_people

    conn = op.get_bind()
    credited: dict[int, list[str]] = {}
    for work_id, name in conn.execute(text(
            "SELECT c.work_id, a.name FROM contributions c JOIN authors a ON a.id = c.author_id "
            "WHERE c.role = 'author'")):
        credited.setdefault(work_id, []).append(name)
    works: dict[int, list[int]] = {}
    for series_id, work_id in conn.execute(text("SELECT series_id, work_id FROM series_entries ORDER BY id")):
        works.setdefault(series_id, []).append(work_id)
    for series_id, in_order in works.items():
        groups = split_by_people([people_keys(credited.get(w, ())) for w in in_order])
        if len(groups) < 2:
            continue
        for group in groups[1:]:
            new_id = conn.execute(text(
                "INSERT INTO series (name, sort_name, provider_ids, monitored, total_count, ignored) "
                "SELECT name, sort_name, '{}', monitored, NULL, ignored FROM series WHERE id = :id RETURNING id"),
                {"id": series_id}).scalar_one()
            for index in group:
                conn.execute(text("UPDATE series_entries SET series_id = :new WHERE series_id = :old AND work_id = :work"),
                             {"new": new_id, "old": series_id, "work": in_order[index]})
        conn.execute(text("DELETE FROM series_listings WHERE series_id = :id"), {"id": series_id})
        conn.execute(text("UPDATE series SET total_count = NULL WHERE id = :id"), {"id": series_id})


def downgrade() -> None:
    # Series of one name become one again (the oldest), as the unique name requires.
    conn = op.get_bind()
    rows = conn.execute(text("SELECT id, name FROM series ORDER BY id")).all()
    first: dict[str, int] = {}
    for series_id, name in rows:
        keep = first.setdefault(name, series_id)
        if keep == series_id:
            continue
        conn.execute(text("DELETE FROM series_entries WHERE series_id = :gone AND work_id IN "
                          "(SELECT work_id FROM series_entries WHERE series_id = :keep)"),
                     {"gone": series_id, "keep": keep})
        conn.execute(text("UPDATE series_entries SET series_id = :keep WHERE series_id = :gone"),
                     {"gone": series_id, "keep": keep})
        conn.execute(text("UPDATE series_checks SET series_id = :keep WHERE series_id = :gone"),
                     {"gone": series_id, "keep": keep})
        conn.execute(text("DELETE FROM series WHERE id = :gone"), {"gone": series_id})
    _rebuild(unique_name=True)
