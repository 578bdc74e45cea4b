"""The catalog: SQLite through SQLAlchemy, migrations, search index and repositories.

Nothing here imports Qt, and no ORM object leaves this package: repositories hand
out the plain dataclasses of ``catalog_rows``.
"""
