"""Odd folder names and catalogs damaged while in use: clear errors, the catalog where it belongs."""

from __future__ import annotations

import pytest

from bookdesk.data.catalog import CATALOG_NAME, open_catalog
from bookdesk.data.records import Contributor, NewWork
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import CatalogCorruptError


@pytest.mark.parametrize("name", ["What? Books", "100%20books", "#1 Shelf", "Bücher & Hörbücher"])
def test_a_folder_name_that_looks_like_a_url_keeps_its_catalog_inside(tmp_path, name):
    folder = tmp_path / name
    catalog = open_catalog(folder)
    try:
        with catalog.write() as session:
            WorkRepository(session).add(NewWork("Inside", [Contributor("A. Author")]))
    finally:
        catalog.close()
    assert (folder / CATALOG_NAME).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_catalog_damaged_in_its_middle_gives_a_clear_error_when_read(tmp_path):
    folder = tmp_path / "Library"
    catalog = open_catalog(folder)
    with catalog.write() as session:
        repo = WorkRepository(session)
        for n in range(400):
            repo.add(NewWork(f"Book {n} " + "x" * 200, [Contributor(f"Author {n}")]))
    catalog.close()
    path = folder / CATALOG_NAME
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 12)):
        data[offset] = 0x5A  # scribble over pages in the middle, leaving the header whole
    path.write_bytes(bytes(data))

    with pytest.raises(CatalogCorruptError) as raised:
        damaged = open_catalog(folder)
        try:
            with damaged.read() as session:
                WorkRepository(session).details(WorkRepository(session).ids())
        finally:
            damaged.close()
    assert "damaged" in raised.value.message
