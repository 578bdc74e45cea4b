"""``bookdesk serve`` keeps its library open and reads the catalog again for every request: another
BookDesk listing the same library meanwhile must leave the server's catalog whole and answering.

Before, each request's checks opened and closed the catalog file, which drops SQLite's locks in the
server's process; the next ``bookdesk list`` then deleted the -wal file the server still wrote to, and
``/opds/recent`` answered 503 until the server restarted.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import httpx
from sqlalchemy import text

from bookdesk.data.catalog_file import CATALOG_NAME
from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from tests.serve.conftest import bearer, make_key
from tests.servers.bookdesk_server import served


def _deleted_catalog_files_held(catalog: Path) -> list[str]:
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(catalog)) and target.endswith("(deleted)"):
            held.append(target)
    return held


def test_the_feeds_still_answer_after_another_bookdesk_lists_the_same_library(
        opened, filled_library, manifest, run_cli):
    catalog = filled_library / CATALOG_NAME
    headers = bearer(make_key(filled_library, "phone"))
    with served(build_app(ServeContext(library=filled_library, services=opened))) as base:
        assert httpx.get(f"{base}/opds/recent").status_code == 200
        series = httpx.get(f"{base}/api/v1/series", headers=headers)  # writes the gap answers
        assert series.status_code == 200, series.text
        assert httpx.get(f"{base}/health/ready").status_code == 200

        listed = run_cli("list", "--library", filled_library, "--json")
        assert listed.returncode == 0, listed.stderr

        assert Path(f"{catalog}-wal").exists() and _deleted_catalog_files_held(catalog) == []
        recent = httpx.get(f"{base}/opds/recent")
        assert recent.status_code == 200, recent.text
        books = httpx.get(f"{base}/api/v1/books", headers=headers, params={"per_page": 200})
        assert books.status_code == 200 and books.json()["total"] == len(manifest)
        # A change the server's process makes is seen by its feeds and by another process, and one made by
        # another process is seen by the server: one WAL for everyone.
        with opened.library.catalog.write() as session:
            session.execute(text("UPDATE works SET title = 'Renamed Here' WHERE id = 1"))
        assert "Renamed Here" in httpx.get(f"{base}/opds/recent", params={"per_page": 200}).text
        with sqlite3.connect(catalog) as other:
            assert other.execute("SELECT title FROM works WHERE id = 1").fetchone() == ("Renamed Here",)
            other.execute("UPDATE works SET title = 'Renamed Elsewhere' WHERE id = 2")
        renamed = httpx.get(f"{base}/api/v1/books/2", headers=headers)
        assert renamed.status_code == 200 and renamed.json()["title"] == "Renamed Elsewhere"
    with sqlite3.connect(catalog) as after:
        assert after.execute("PRAGMA integrity_check").fetchone() == ("ok",)
