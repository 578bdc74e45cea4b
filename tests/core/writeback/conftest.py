"""Fixtures for the write-back tests: a library folder and private copies of the committed fixture
books in it (helpers shared by the tests are in writeback_files.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from writeback_files import FIXTURES


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "Library"
    folder.mkdir()
    return folder


@pytest.fixture
def put(library: Path) -> Callable[..., Path]:
    """``put("audio/lantern.m4b", "Castellanos/Lantern/lantern.m4b")``: a fixture copied into the library."""
    def copy(fixture: str, relative: str | None = None) -> Path:
        source = FIXTURES / fixture
        target = library / (relative or source.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
        return target

    return copy
