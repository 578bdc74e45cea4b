"""A small library of real books for the removal tests, and the test's own system trash."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bookdesk.core.library_service import LibraryService
from bookdesk.core.removal.service import RemovalService
from bookdesk.data.catalog_rows import NewFile


@pytest.fixture
def trash(user_folders: Path) -> Path:
    """The home trash of this test (tests/conftest.py points XDG_DATA_HOME into its user folders)."""
    return Path(os.environ["XDG_DATA_HOME"]) / "Trash"


@pytest.fixture
def shelf(catalog, import_books, make_book, tmp_path) -> dict[str, int]:
    """Three imported books by title: Ash, Bone, Cinder; each one EPUB in the library."""
    sources = [make_book(t, author=a, folder=tmp_path / "incoming") for t, a in
               (("Ash", "Ann Archer"), ("Bone", "Ben Bowman"), ("Cinder", "Cy Cole"))]
    import_books(catalog, sources)
    library = LibraryService(catalog)
    return {d.title: d.id for d in library.details(library.work_ids())}


@pytest.fixture
def add_format(catalog) -> Callable[[int, str, bytes], int]:
    """``add_format(work_id, "Folder/Name.pdf", bytes)``: a second file of a book, on disk and listed."""
    def add(work_id: int, relative: str, content: bytes) -> int:
        place = catalog.folder / relative
        place.parent.mkdir(parents=True, exist_ok=True)
        place.write_bytes(content)
        from bookdesk.data.work_repository import WorkRepository

        with catalog.write() as session:
            return WorkRepository(session).add_file(work_id, NewFile(
                relative, Path(relative).suffix[1:], "ebook", len(content), place.stat().st_mtime,
                hashlib.sha256(content).hexdigest()))

    return add


@pytest.fixture
def removal(catalog) -> RemovalService:
    return RemovalService(catalog)


@pytest.fixture
def library(catalog) -> LibraryService:
    return LibraryService(catalog)


@pytest.fixture
def give_cover(catalog) -> Callable[[int, str], str]:
    """``give_cover(work_id, "cover.png")``: a cover file beside the book's first file, as its cover_path."""
    def give(work_id: int, name: str = "cover.png") -> str:
        from bookdesk.data.models import File, Work

        with catalog.write() as session:
            first = session.query(File).filter(File.work_id == work_id).order_by(File.id).first()
            relative = f"{Path(first.path).parent.as_posix()}/{name}"
            (catalog.folder / relative).write_bytes(b"\x89PNG cover of " + str(work_id).encode())
            session.get(Work, work_id).cover_path = relative
        return relative

    return give
