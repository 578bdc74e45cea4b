"""Every case table of this folder, read through BookDesk's vocabulary: one test a case."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.case_tables import all_tables, differences

_TABLES = all_tables(Path(__file__).parent)


def _cases() -> list[pytest.param]:
    params = []
    for table in _TABLES:
        for case in table.cases:
            marks = [pytest.mark.xfail(strict=True, reason=case.note)] if case.known_failure else []
            params.append(pytest.param(table, case, id=f"{table.kind}:{case.line}:{case.input[:40]}", marks=marks))
    return params


def test_every_table_names_its_reader_and_has_cases() -> None:
    assert {t.kind for t in _TABLES} >= {"people_split", "author_sort", "same_person", "positions", "title_sort",
                                          "subtitle", "title_noise", "series_in_title", "subtitle_series",
                                          "title_by_author"}
    assert all(t.reader_ref and t.cases for t in _TABLES)


@pytest.mark.parametrize(("table", "case"), _cases())
def test_a_name_reads_as_its_table_says(table, case) -> None:
    assert differences(case.expected, table.reader()(case.input)) == {}
