"""Case tables: the name-reading tests keep their cases in data files, one case a line.

A case table is any file named ``<kind>_cases.tsv`` under ``tests/`` (``layout_cases.tsv`` is the
kind "layout"). It is UTF-8 text, one case a line, cells separated by tabs:

- ``#! reader: FILE::FUNCTION`` on a line of its own names the function that reads a case: a
  Python file (relative to the table) and a function in it that takes the case's first cell and
  returns a dict of column name to text;
- other lines starting with ``#`` are comments, and blank lines are skipped;
- the first other line is the header: the input column first, then the expected columns;
- a column named ``note`` is never compared; a note starting with ``xfail`` marks a case known to
  be read wrong (the test expects it to fail, the pass rate counts it as failed);
- an empty cell expects empty text; lists are written ``A; B``.

Both the parametrised tests and ``bench/name_table.py`` read tables through this module, so a new
kind is one table and one reader function.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parent
_DIRECTIVE = "#! reader:"

Reader = Callable[[str], dict[str, str]]


@dataclass(frozen=True, slots=True)
class Case:
    input: str
    expected: dict[str, str]
    note: str = ""
    line: int = 0

    @property
    def known_failure(self) -> bool:
        return self.note.lower().startswith("xfail")


@dataclass(slots=True)
class CaseTable:
    path: Path
    kind: str
    columns: list[str]
    reader_ref: str = ""
    cases: list[Case] = field(default_factory=list)

    def reader(self) -> Reader:
        """The table's reader function, loaded from the file its directive names."""
        file_name, _, function = self.reader_ref.partition("::")
        if not file_name or not function:
            raise ValueError(f"{self.path} names no reader ({_DIRECTIVE} FILE::FUNCTION)")
        source = (self.path.parent / file_name).resolve()
        folder = str(source.parent)
        if folder not in sys.path:  # the reader's own imports (book_files, ...) live beside it
            sys.path.insert(0, folder)
        spec = importlib.util.spec_from_file_location(f"case_reader_{source.stem}", source)
        assert spec is not None and spec.loader is not None, source
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return getattr(module, function)


def load(path: Path) -> CaseTable:
    """The cases in one table."""
    kind = path.name.removesuffix(".tsv").removesuffix("_cases")
    table = CaseTable(path=path, kind=kind, columns=[])
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.startswith(_DIRECTIVE):
            table.reader_ref = raw[len(_DIRECTIVE):].strip()
            continue
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if not table.columns:
            table.columns = [c.strip() for c in cells]
            continue
        if len(cells) > len(table.columns):
            raise ValueError(f"{path}:{number} has {len(cells)} cells for {len(table.columns)} columns")
        cells += [""] * (len(table.columns) - len(cells))
        values = dict(zip(table.columns, (c.strip() for c in cells), strict=True))
        note = values.pop("note", "")
        first = table.columns[0]
        table.cases.append(Case(input=values.pop(first), expected=values, note=note, line=number))
    return table


def all_tables(root: Path = TESTS) -> list[CaseTable]:
    return [load(path) for path in sorted(root.rglob("*_cases.tsv"))]


def differences(expected: dict[str, str], found: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Column -> (expected, found) for every column read differently."""
    return {column: (want, found.get(column, "")) for column, want in expected.items()
            if found.get(column, "") != want}
