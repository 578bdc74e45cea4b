"""Migration 0007 (series known by name and author) on a catalog BookDesk wrote at 0006.

Before it, two authors' "Archive Saga" were one series. The migration splits such series by the
rule new books follow (data/series_identity.py), keeps every entry, listing and check of the
series it does not split, and keeps the revision triggers of 0006 working.
"""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD, open_catalog
from bookdesk.data.revisions import series_revision
from bookdesk.data.work_repository import WorkRepository
from tests.data.old_catalogs import catalog_at, migrations_config


def _work(work_id: int, title: str) -> str:
    return ("INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
            f"authors_display, author_key, series_display, series_key, formats) VALUES ({work_id}, '{title}', "
            f"'{title}', 'owned', '', '2026-01-01', '2026-01-01', '{title.lower()}', '', '', '', '', 'EPUB')")


_ROWS = [
    *(_work(i, t) for i, t in ((1, "Ash"), (2, "Bone"), (3, "Cinder"), (4, "Dust"), (5, "Echo"))),
    "INSERT INTO authors (id, name, sort_name, provider_ids, monitored) VALUES "
    "(1, 'Ann Archer', 'Archer, Ann', '{}', 0), (2, 'Ben Bowman', 'Bowman, Ben', '{}', 0), "
    "(3, 'Cy Cole', 'Cole, Cy', '{}', 0), (4, 'Unknown Author', 'Author, Unknown', '{}', 0), "
    "(5, 'Dee Dale', 'Dale, Dee', '{}', 0)",
    "INSERT INTO contributions (work_id, author_id, role, position) VALUES (1, 1, 'author', 0), "
    "(2, 2, 'author', 0), (3, 3, 'author', 0), (3, 1, 'author', 1), (4, 4, 'author', 0), (5, 5, 'author', 0), "
    "(2, 5, 'narrator', 1)",
    "INSERT INTO series (id, name, sort_name, provider_ids, monitored, total_count, ignored) VALUES "
    "(1, 'Archive Saga', 'Archive Saga', '{\"hardcover\": \"77\"}', 1, 9, 0), "
    "(2, 'Echoes', 'Echoes', '{}', 0, 3, 0)",
    # Cinder (Cy Cole with Ann Archer) joins Ann's books; Dust names nobody and cannot choose.
    "INSERT INTO series_entries (id, series_id, work_id, label, sort_key) VALUES (1, 1, 1, '1', 1.0), "
    "(2, 1, 2, '1', 1.0), (3, 1, 3, '2', 2.0), (4, 1, 4, '3', 3.0), (5, 2, 5, '1', 1.0)",
    "INSERT INTO series_listings (series_id, source, provider_series_id, series_name, total_primary, books_json, "
    "fetched_at) VALUES (1, 'hardcover', '77', 'Archive Saga', 9, '[]', '2026-01-01'), "
    "(2, 'hardcover', '88', 'Echoes', 3, '[]', '2026-01-01')",
    "INSERT INTO series_checks (series_id, checked_at, media_kind, owned, missing, total, sources) VALUES "
    "(1, '2026-01-01', 'any', 3, 6, 9, 'hardcover'), (2, '2026-01-01', 'any', 1, 2, 3, 'hardcover')",
]


def _catalog_at_0006(folder) -> None:
    catalog_at(folder, "0006", _ROWS)


def _series(session) -> dict[int, tuple]:  # noqa: ANN001
    """Series id -> (name, monitored, total, provider ids, titles in it, listing sources, checks)."""
    found = {}
    for series_id, name, monitored, total, provider_ids in session.execute(text(
            "SELECT id, name, monitored, total_count, provider_ids FROM series ORDER BY id")):
        titles = session.execute(text("SELECT w.title FROM series_entries e JOIN works w ON w.id = e.work_id "
                                      "WHERE e.series_id = :id ORDER BY e.id"), {"id": series_id}).scalars().all()
        sources = session.execute(text("SELECT source FROM series_listings WHERE series_id = :id"),
                                  {"id": series_id}).scalars().all()
        checks = session.execute(text("SELECT count(*) FROM series_checks WHERE series_id = :id"),
                                 {"id": series_id}).scalar()
        found[series_id] = (name, monitored, total, provider_ids, titles, sources, checks)
    return found


def test_a_series_merging_two_authors_books_is_split_and_the_others_kept_whole(library_dir):
    _catalog_at_0006(library_dir)

    upgraded = open_catalog(library_dir)
    try:
        with upgraded.read() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            series = _series(session)
            assert series[1] == ("Archive Saga", 1, None, '{"hardcover": "77"}', ["Ash", "Cinder"], [], 1)
            assert series[2] == ("Echoes", 0, 3, "{}", ["Echo"], ["hardcover"], 1)
            others = sorted(v for k, v in series.items() if k > 2)
            assert others == [("Archive Saga", 1, None, "{}", ["Bone"], [], 0),
                              ("Archive Saga", 1, None, "{}", ["Dust"], [], 0)]
            labels = {d.title: [(s.name, s.label) for s in d.series]
                      for d in WorkRepository(session).details([1, 2, 3, 4, 5])}
            assert labels == {"Ash": [("Archive Saga", "1")], "Bone": [("Archive Saga", "1")],
                              "Cinder": [("Archive Saga", "2")], "Dust": [("Archive Saga", "3")],
                              "Echo": [("Echoes", "1")]}
    finally:
        upgraded.close()


def test_after_the_split_each_author_has_their_own_gaps(library_dir):
    _catalog_at_0006(library_dir)
    from bookdesk.core.series.service import SeriesService

    upgraded = open_catalog(library_dir)
    service = SeriesService(upgraded)
    try:
        found = {(g.name, g.overall.owned): g.overall.missing_labels for g in service.gaps("Archive Saga")}
        assert found == {("Archive Saga", ("1", "2")): [], ("Archive Saga", ("1",)): [],
                         ("Archive Saga", ("3",)): ["1", "2"]}
    finally:
        service.close()
        upgraded.close()


@pytest.mark.parametrize("change", [
    "INSERT INTO series (name, sort_name, provider_ids, monitored, ignored) VALUES ('New', 'New', '{}', 0, 0)",
    "UPDATE series SET monitored = 0 WHERE id = 1",
    "DELETE FROM series WHERE id = 2",
    "UPDATE series_entries SET label = '7' WHERE id = 1",
])
def test_the_series_revision_still_moves_with_every_change_to_series(library_dir, change):
    _catalog_at_0006(library_dir)
    upgraded = open_catalog(library_dir)
    try:
        with upgraded.read() as session:
            before = series_revision(session)
        with upgraded.write() as session:
            session.execute(text(change))
        with upgraded.read() as session:
            assert series_revision(session) > before
    finally:
        upgraded.close()


def test_0007_can_be_taken_back_to_0006_merging_the_series_again(library_dir):
    _catalog_at_0006(library_dir)
    open_catalog(library_dir).close()

    engine = create_engine(f"sqlite:///{library_dir / CATALOG_NAME}")
    config = migrations_config()
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
        series = _series(conn)
        entries = conn.execute(text("SELECT count(*) FROM series_entries")).scalar()
    engine.dispose()
    assert series[1][0] == "Archive Saga" and series[1][4] == ["Ash", "Bone", "Cinder", "Dust"]
    assert set(series) == {1, 2} and entries == 5
    with sqlite3.connect(library_dir / CATALOG_NAME) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("INSERT INTO series (name, sort_name, provider_ids, monitored, ignored) "
                    "VALUES ('Echoes', 'Echoes', '{}', 0, 0)")
    raw.close()
