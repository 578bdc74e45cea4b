"""Identify end to end and Hardcover's token: a wrong one is noted and not sent again for every
book, and the right one reaches only Hardcover's Authorization header."""

from __future__ import annotations

import logging
from pathlib import Path

from bookdesk.core.logging_setup import setup_logging
from bookdesk.core.settings import save_settings, settings_path
from tests.core.identify.identify_world import (
    LIMITS,
)


def test_a_wrong_token_is_noted_and_the_other_providers_identify_the_books(library, run_job):
    report, _ = library.identify(run_job, token="not-the-token")

    assert library.wrong(report) == []
    assert any("Hardcover" in n and "token" in n for n in report.notes), report.notes
    assert report.count("applied") >= len(library.truth) - 1
    refused = library.world.requests("hardcover")
    assert refused and all(r.status == 401 for r in refused)


def test_a_refused_token_is_not_sent_again_for_every_book(library, run_job):
    library.identify(run_job, token="not-the-token")
    # Those already on their way when the first refusal came back (the limiter's burst) may go.
    assert len(library.world.requests("hardcover")) <= LIMITS["hardcover"].requests + 1


def test_the_token_reaches_only_hardcovers_authorization_header(library, run_job, tmp_path: Path):
    log_folder = tmp_path / "logs"
    log_path = setup_logging(logging.DEBUG, folder=log_folder)
    save_settings(library.settings)

    report, _ = library.identify(run_job)
    library.service.undo_job(report.correlation_id)
    library.identify(run_job)  # and once more, from the cache
    for handler in logging.getLogger("bookdesk").handlers:
        handler.flush()

    token = library.token.encode()
    logged = log_path.read_text(encoding="utf-8")
    assert "hardcover/v1/graphql" in logged and "-> 200" in logged  # the requests were logged
    checked = [settings_path(), log_path, *library.cache_dir.rglob("*"), *(library.folder / "Library").rglob("*")]
    assert any(p.name.endswith(".sqlite3") for p in checked)
    for path in checked:
        if path.is_file():
            assert token not in path.read_bytes(), path
    hardcover = library.world.requests("hardcover")
    assert hardcover and all(r.headers.get("authorization") == f"Bearer {library.token}" for r in hardcover)
    for record in library.world.requests():
        headers = {k: v for k, v in record.headers.items()
                   if not (record.provider == "hardcover" and k == "authorization")}
        assert library.token not in record.url and token not in record.body, record.url
        assert not any(library.token in v for v in headers.values()), record.url
