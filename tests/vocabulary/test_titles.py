"""Titles from files anyone can write: nothing in them stops the reading (the cases are in *_cases.tsv)."""

from __future__ import annotations

import pytest

from bookdesk.vocabulary.titles import (
    series_in_subtitle,
    series_in_title,
    split_subtitle,
    strip_noise,
    title_sort,
)


@pytest.mark.parametrize("junk", ["", "   ", "(", "()", "[[[", "a" * 50_000, "(" * 5_000 + "x", "\x00(\x01)"])
def test_anything_a_file_holds_is_read_without_failing(junk) -> None:
    assert isinstance(strip_noise(junk), str)
    assert isinstance(series_in_title(junk).title, str)
    assert isinstance(split_subtitle(junk)[0], str)
    assert series_in_subtitle(junk) is None or isinstance(series_in_subtitle(junk), tuple)
    assert isinstance(title_sort(junk, "xx"), str)
