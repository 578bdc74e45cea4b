"""One reader per format; ``read_unit`` picks the right one."""

from __future__ import annotations

from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.readers.epub import read_epub
from bookdesk.core.importer.units import BookUnit
from bookdesk.errors import ImportFailedError


def read_unit(unit: BookUnit) -> BookMetadata:
    if unit.format.name == "epub":
        return read_epub(unit.primary)
    raise ImportFailedError(f"{unit.primary.name}: {unit.format.name.upper()} files cannot be read yet.")
