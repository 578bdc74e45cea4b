"""A library holding one imported book, made by the real ``bookdesk import``, for the fault tests
that identify it against servers that misbehave."""

from __future__ import annotations

from pathlib import Path

import pytest

# A book the provider world can know (see tests/fakes/provider_world/); its file names no ISBN.
BOOK = {"title": "The Meadow of Falcon 205", "author": "Greta Moreau", "series": None, "index": None,
        "isbn": "9780205000050", "asin": None}


@pytest.fixture(name="one_book_library")
def one_book_library_fixture(tmp_path: Path, make_book, bookdesk_process) -> Path:  # noqa: ANN001
    make_book(BOOK["title"], author=BOOK["author"], folder=tmp_path / "incoming")
    done = bookdesk_process("import", tmp_path / "incoming", "--library", tmp_path / "Library", "--json")
    assert done.returncode == 0, done.stderr
    return tmp_path / "Library"
