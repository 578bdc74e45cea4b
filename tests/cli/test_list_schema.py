"""``bookdesk list`` reads a current catalog without SQLAlchemy; a catalog whose schema is not the one
this BookDesk knows is refused or migrated exactly as opening it for any other command does."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from bookdesk.app import main
from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD, open_catalog
from tests.data.old_catalogs import catalog_at

_ONE_AUTHOR = "INSERT INTO authors (name, sort_name, provider_ids, monitored) VALUES ('Ann Author', 'Author, Ann', '{}', 0)"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listed(library: Path, capsys) -> tuple[int, dict]:
    code = main(["list", "--library", str(library), "--json"])
    return code, json.loads(capsys.readouterr().out)


def _revision(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_list_of_a_catalog_from_a_newer_bookdesk_refuses_it_and_leaves_it_untouched(tmp_path, capsys):
    library = tmp_path / "Library"
    open_catalog(library).close()
    with sqlite3.connect(library / CATALOG_NAME) as newer:
        newer.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    newer.close()
    before = _digest(library / CATALOG_NAME)

    code, document = _listed(library, capsys)

    assert code == 1 and document["error"]["kind"] == "CatalogTooNewError"
    assert "newer BookDesk" in document["error"]["message"]
    assert _digest(library / CATALOG_NAME) == before
    assert not list(library.glob(f"{CATALOG_NAME}.bak-*"))


def test_list_of_an_older_catalog_migrates_it_after_a_backup_then_lists(tmp_path, capsys):
    library = tmp_path / "Library"
    catalog_at(library, "0006", [_ONE_AUTHOR])

    code, document = _listed(library, capsys)

    assert (code, document) == (0, {"books": []})
    assert _revision(library / CATALOG_NAME) == SCHEMA_HEAD
    [backup] = library.glob(f"{CATALOG_NAME}.bak-*")
    assert _revision(backup) == "0006"


def test_list_of_an_older_catalog_that_can_only_be_read_says_it_needs_updating(tmp_path, capsys, immutable):
    library = tmp_path / "Library"
    catalog_at(library, "0006", [_ONE_AUTHOR])
    before = _digest(library / CATALOG_NAME)
    immutable(library / CATALOG_NAME)

    code, document = _listed(library, capsys)

    assert code == 1 and "It also needs updating for this BookDesk" in document["error"]["message"]
    assert "can only be read" in document["error"]["message"]
    assert _digest(library / CATALOG_NAME) == before


def test_list_of_something_else_s_sqlite_file_refuses_it(tmp_path, capsys):
    library = tmp_path / "Library"
    library.mkdir()
    with sqlite3.connect(library / CATALOG_NAME) as other:
        other.execute("CREATE TABLE recipes (name TEXT)")
    other.close()

    code, document = _listed(library, capsys)

    assert code == 1 and "not a BookDesk catalog" in document["error"]["message"]
