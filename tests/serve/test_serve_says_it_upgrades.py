"""``bookdesk serve`` on a catalog an older BookDesk wrote says, before it upgrades it, that it does and where
the backup is kept, as the window's status bar says "Upgrading the catalog (a backup is kept)…"; a catalog
already at this BookDesk's schema is served without that line."""

from __future__ import annotations

import signal
from pathlib import Path

from bookdesk.data.catalog_copy import MIGRATION_BACKUP_INFIX
from bookdesk.data.catalog_file import CATALOG_NAME, SCHEMA_HEAD, stored_revision
from tests.data.old_catalogs import catalog_at
from tests.serve.test_serve_command import _free_port, _start


def served_and_stopped(library: Path) -> list[str]:
    """What ``bookdesk serve`` said on stderr, from its start to its clean stop."""
    child = _start(library, _free_port())
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    return err.splitlines()


def test_serving_an_old_catalog_says_it_is_upgraded_and_where_its_backup_is_before_serving(tmp_path: Path) -> None:
    library = tmp_path / "Old"
    catalog_at(library, "0006", [])

    said = served_and_stopped(library)

    [upgrading] = [i for i, line in enumerate(said) if line.startswith("Upgrading the catalog")]
    [serving] = [i for i, line in enumerate(said) if line.startswith("Serving ")]
    assert upgrading < serving
    [backup] = library.glob(f"{CATALOG_NAME}{MIGRATION_BACKUP_INFIX}0006-*")
    line = said[upgrading]
    assert str(library.absolute()) in line and f"{CATALOG_NAME}{MIGRATION_BACKUP_INFIX}0006-" in line
    assert "0006" in line and SCHEMA_HEAD in line
    assert stored_revision(backup) == "0006" and stored_revision(library / CATALOG_NAME) == SCHEMA_HEAD


def test_serving_a_current_catalog_says_nothing_of_an_upgrade(filled_library: Path) -> None:
    said = served_and_stopped(filled_library)

    assert any(line.startswith("Serving ") for line in said)
    assert not [line for line in said if "Upgrading" in line or "backup" in line]
    assert not list(filled_library.glob(f"{CATALOG_NAME}{MIGRATION_BACKUP_INFIX}*"))
