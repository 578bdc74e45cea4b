"""Fixtures for the reader tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from book_files import FIXTURES


@pytest.fixture
def fixtures() -> Path:
    """The folder of committed fixture files (made by tests/fixtures/make_fixtures.sh)."""
    return FIXTURES
