"""``GET /health``: the server answers while it runs."""

from __future__ import annotations

import httpx

from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from tests.servers.bookdesk_server import served


def test_health_answers_ok_from_a_real_server(filled_library):
    with served(build_app(ServeContext(library=filled_library))) as base:
        answer = httpx.get(f"{base}/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_the_context_reads_the_catalog_but_cannot_write_it(filled_library):
    import sqlite3

    import pytest

    ctx = ServeContext(library=filled_library)
    with ctx.reading() as connection:
        assert connection.execute("SELECT count(*) FROM works").fetchone()[0] > 0
        with pytest.raises(sqlite3.OperationalError):
            connection.execute("DELETE FROM works")
