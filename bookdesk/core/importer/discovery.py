"""Turning what the user dropped into book units (EPUB files for now)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from bookdesk.core.importer.formats import format_of
from bookdesk.core.importer.units import BookUnit, Problem


def discover(paths: Iterable[Path]) -> tuple[list[BookUnit], list[Problem]]:
    units: list[BookUnit] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(folder) / name
                    fmt = format_of(candidate)
                    if fmt is not None and not candidate.is_symlink() and candidate.resolve() not in seen:
                        seen.add(candidate.resolve())
                        units.append(BookUnit((candidate,), fmt, path))
        elif path.is_file():
            fmt = format_of(path)
            if fmt is None:
                problems.append(Problem(path, f"{path.name}: this kind of file is not a book BookDesk can import."))
            elif path.resolve() not in seen:
                seen.add(path.resolve())
                units.append(BookUnit((path,), fmt, path.parent))
        else:
            problems.append(Problem(path, f"{path} does not exist."))
    return units, problems
