"""A library with books in it, and the HTTP face serving it on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bookdesk.app import main


@pytest.fixture
def filled_library(library_dir: Path, corpus: Path, capsys: pytest.CaptureFixture) -> Path:
    """The corpus imported into ``library_dir`` as ``bookdesk import`` does."""
    assert main(["import", str(corpus), "--library", str(library_dir), "--json"]) == 0
    json.loads(capsys.readouterr().out)
    return library_dir
