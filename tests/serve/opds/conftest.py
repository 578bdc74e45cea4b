"""A small real library for the OPDS feeds (a series added out of order, an audiobook, a finished book,
a French one, a wanted placeholder, a book whose every field is hostile markup), its files and cover on
disk, and the HTTP face serving it on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bookdesk.data.catalog_rows import Contributor, NewFile, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository
from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from tests.corpus import png
from tests.servers.bookdesk_server import served

HOSTILE_TITLE = '<script>alert("x")</script> & Sons\x0b]]>'
HOSTILE_AUTHOR = "O'Brien <&> \"Sons\""  # no " & ": calibre's feeds join authors with it
HOSTILE_TAG = "Sci/Fi & <b>bold</b>"


@dataclass(frozen=True)
class OpdsLibrary:
    folder: Path
    ids: dict[str, int]  # book key -> work id

    def file_bytes(self, relative: str) -> bytes:
        return (self.folder / relative).read_bytes()


def _file(folder: Path, relative: str, size: int, media_kind: str = "ebook") -> NewFile:
    """A real file of ``size`` random bytes at ``relative`` in the library, and its catalog row."""
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(size))
    fmt = relative.rsplit(".", 1)[-1]
    return NewFile(relative, fmt, media_kind, size, path.stat().st_mtime, f"hash-{relative}")


def _outside_file(path: Path) -> NewFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"a book kept outside the library")
    return NewFile(str(path), "epub", "ebook", path.stat().st_size, path.stat().st_mtime, "hash-outside")


def _books(folder: Path) -> dict[str, NewWork]:
    earthsea = "Ursula K. Le Guin"
    cover = folder / "Le Guin/Wizard/cover.png"
    cover.parent.mkdir(parents=True)
    cover.write_bytes(png((200, 40, 40)))
    return {
        # Added before the first book of the series, so reading order is not the order of adding.
        "farthest": NewWork("The Farthest Shore", [Contributor(earthsea)], series=[SeriesRef("Earthsea Cycle", "3")],
                            language="en", files=[_file(folder, "Le Guin/Farthest/The Farthest Shore.epub", 3000)]),
        "wizard": NewWork("A Wizard of Earthsea", [Contributor(earthsea)], series=[SeriesRef("Earthsea Cycle", "1")],
                          identifiers={"isbn": "9780547773742"}, tags=["Fantasy"], language="en",
                          description="A boy becomes a wizard.", publisher="Parnassus", first_published="1968",
                          cover_path="Le Guin/Wizard/cover.png",
                          files=[_file(folder, "Le Guin/Wizard/A Wizard of Earthsea.epub", 5000)]),
        "tales": NewWork("Tales from Earthsea", [Contributor(earthsea)], series=[SeriesRef("Earthsea Cycle")],
                         language="en", files=[_file(folder, "Le Guin/Tales/Tales from Earthsea.pdf", 2000)]),
        "tombs": NewWork("The Tombs of Atuan", [Contributor(earthsea), Contributor("Rob Inglis", "narrator")],
                         series=[SeriesRef("Earthsea Cycle", "2")], tags=["Fantasy"], language="en",
                         files=[_file(folder, "Le Guin/Tombs/The Tombs of Atuan.epub", 4000),
                                _file(folder, "Le Guin/Tombs/The Tombs of Atuan.m4b", 300_000, "audiobook")]),
        "dune": NewWork("Dune", [Contributor("Frank Herbert")], tags=["Science Fiction"], language="en",
                        files=[_file(folder, "Herbert/Dune/Dune.mp3", 200_000, "audiobook")]),
        "prince": NewWork("Le Petit Prince", [Contributor("Antoine de Saint-Exupéry")], language="fr",
                          files=[_file(folder, "Saint-Exupéry/Le Petit Prince.azw3", 1500)]),
        "hostile": NewWork(HOSTILE_TITLE, [Contributor(HOSTILE_AUTHOR)], tags=[HOSTILE_TAG], language="en",
                           description="<p>bold & </feed> \x0c</p>",
                           files=[_file(folder, "Hostile/<odd> & name.epub", 1000)]),
        # Imported in place from a calibre library elsewhere: its path is absolute, outside this library.
        "in_place": NewWork("Kept Elsewhere", [Contributor("Frank Herbert")], language="en",
                            files=[_outside_file(folder.parent / "calibre/Kept Elsewhere.epub")]),
        "wanted": NewWork("The Other Wind", [Contributor(earthsea)], series=[SeriesRef("Earthsea Cycle", "6")],
                          status="wanted"),
    }


@pytest.fixture
def opds_library(library_dir: Path) -> OpdsLibrary:
    from bookdesk.data.catalog import open_catalog

    catalog = open_catalog(library_dir)
    try:
        ids = {}
        for key, work in _books(library_dir).items():  # one transaction each: each its own added_at
            with catalog.write() as session:
                ids[key] = WorkRepository(session).add(work)
        with catalog.write() as session:
            WorkRepository(session).set_field(ids["prince"], "read_state", "finished", source="user",
                                              correlation_id=None)
    finally:
        catalog.close()
    return OpdsLibrary(library_dir, ids)


@pytest.fixture
def opds_server(opds_library: OpdsLibrary) -> Iterator[str]:
    """The base address ("http://127.0.0.1:PORT") of the HTTP face serving ``opds_library``."""
    with served(build_app(ServeContext(library=opds_library.folder))) as base:
        yield base
