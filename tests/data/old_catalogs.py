"""Catalogs as an older BookDesk left them, for the migration tests: the schema at a revision, with rows."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from bookdesk.data import catalog as catalog_module
from bookdesk.data.catalog import CATALOG_NAME


def migrations_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(catalog_module._MIGRATIONS))
    return config


def catalog_at(folder: Path, revision: str, rows: list[str], counts: tuple[str, ...] = ()) -> dict[str, int]:
    """Make ``folder``'s catalog at ``revision`` holding ``rows`` (SQL inserts); the row count of each
    table named in ``counts``."""
    folder.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{folder / CATALOG_NAME}")
    config = migrations_config()
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        for statement in rows:
            conn.execute(text(statement))
        found = {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in counts}
    engine.dispose()
    return found


def downgraded(folder: Path, revision: str, read):  # noqa: ANN001, ANN201 - a callable of a connection; its value
    """Take ``folder``'s catalog down to ``revision`` (foreign keys on, as BookDesk opens it) and hand back
    what ``read(connection)`` reads there afterwards."""
    engine = create_engine(f"sqlite:///{folder / CATALOG_NAME}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        config = migrations_config()
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
        found = read(conn)
    engine.dispose()
    return found
