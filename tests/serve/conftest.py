"""A library with books in it, and the HTTP face serving it on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bookdesk.app import main


@pytest.fixture(autouse=True)
def _no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the person's keyring: secrets last for the run (the commands run here say so)."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.fixture
def filled_library(library_dir: Path, corpus: Path, capsys: pytest.CaptureFixture) -> Path:
    """The corpus imported into ``library_dir`` as ``bookdesk import`` does."""
    assert main(["import", str(corpus), "--library", str(library_dir), "--json"]) == 0
    json.loads(capsys.readouterr().out)
    return library_dir


@pytest.fixture
def opened(filled_library: Path):
    """The filled library opened as ``bookdesk serve`` opens it: services, worker and all."""
    from bookdesk.core.secrets import InMemorySecretStore
    from bookdesk.core.settings import Settings
    from bookdesk.serve.open_library import opened_library

    with opened_library(filled_library, InMemorySecretStore(), Settings()) as services:
        yield services


def make_key(library: Path, name: str, scope: str = "read") -> str:
    """A new API key of ``scope`` in ``library``'s catalog, as ``bookdesk keys add`` makes one."""
    import sqlite3

    from bookdesk.core.api_keys import add_key
    from bookdesk.core.secrets import InMemorySecretStore
    from bookdesk.data.catalog_file import CATALOG_NAME

    with sqlite3.connect(library / CATALOG_NAME) as connection:
        return add_key(connection, InMemorySecretStore(), name, scope).key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
