"""How many cases of each name-reading table BookDesk reads right: one JSON line of pass rates.

Reads every case table under ``tests/`` (files named ``<kind>_cases.tsv``; the format is
described in ``tests/case_tables.py``: tab-separated, a header row whose first column is the
input, a ``#! reader: FILE::FUNCTION`` line naming the function that reads a case), runs each
case through its table's reader and prints, per kind::

    {"layout": {"cases": 94, "passed": 90, "pass_rate": 0.957, "wrong_columns": {"subtitle": 2}}}

With ``--failures`` the cases read wrong are listed on stderr. Usage:
``python bench/name_table.py [--failures]``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(Path(__file__).resolve().parent)]

from _common import emit, log  # noqa: E402
from case_tables import all_tables, differences  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list the cases read wrong on stderr")
    args = parser.parse_args(argv)
    figures: dict[str, object] = {}
    for table in all_tables(REPO / "tests"):
        read = table.reader()
        passed = 0
        wrong: Counter[str] = Counter()
        for case in table.cases:
            try:
                found = read(case.input)
            except Exception as exc:  # a crash is a wrong answer, counted and shown like one
                found = {"error": f"{type(exc).__name__}: {exc}"}
            diff = differences(case.expected, found)
            if diff:
                wrong.update(diff.keys())
                if args.failures:
                    log(f"{table.kind} {case.input!r}: {diff}")
            else:
                passed += 1
        total = len(table.cases)
        figures[table.kind] = {"cases": total, "passed": passed,
                               "pass_rate": round(passed / total, 3) if total else None,
                               "wrong_columns": dict(sorted(wrong.items()))}
    emit(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
