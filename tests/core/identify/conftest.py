"""The end-to-end identify tests' library: clean and spoiled books, their truth, and a provider world
that knows them (see identify_world.py)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.work_repository import WorkRepository
from tests.core.identify.identify_world import AUDIOBOOK, CLEAN_BOOKS, DEGRADED, LIMITS, WORLD_ONLY, Library
from tests.corpus import build_corpus
from tests.fakes.provider_world import Catalogue, ProviderWorld


@pytest.fixture
def library(tmp_path: Path, import_books):
    incoming = tmp_path / "incoming"
    clean = build_corpus(incoming, CLEAN_BOOKS, seed=11)
    (incoming / "manifest.json").unlink()
    service = LibraryService.open(tmp_path / "Library")
    result, report = import_books(service.catalog, [incoming])
    assert result.state == "succeeded" and report.count("added") == CLEAN_BOOKS
    truth: dict[int, dict] = {}
    with service.catalog.read() as session:
        repo = WorkRepository(session)
        for entry in clean:
            truth[repo.find_by_identifier("isbn", entry["isbn"])] = entry
    with service.catalog.write() as session:  # the spoiled ones, as the corpus' degrade leaves them
        repo = WorkRepository(session)
        for entry, title, authors in [*DEGRADED, AUDIOBOOK]:
            ids = {"asin": entry["asin"]} if entry.get("asin") else {}
            truth[repo.add(NewWork(title, [Contributor(a) for a in authors], identifiers=ids, language="en"))] = entry
    token = "hc_" + secrets.token_urlsafe(24)
    catalogue = Catalogue.from_truth([*truth.values(), *WORLD_ONLY], seed=5, asin_share=0.0, companion_share=1.0,
                                     omnibus_share=1.0, homonym_share=0.0, cover_share=1.0,
                                     coverage={"openlibrary": 1.0, "googlebooks": 1.0, "hardcover": 1.0})
    world = ProviderWorld(catalogue, limits=LIMITS, hardcover_tokens=[token]).start()
    yield Library(service, truth, world, token, tmp_path)
    world.stop()
    service.close()
