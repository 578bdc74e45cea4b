"""Names written into the library are safe on Windows, macOS and Linux, whatever the metadata says."""

from __future__ import annotations

import unicodedata

import pytest

from bookdesk.core.file_names import MAX_COMPONENT_BYTES, safe_component


@pytest.mark.parametrize(("name", "expected"), [
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("com1", "_com1"),
    ("Lpt9.epub", "_Lpt9.epub"),
    ("Console", "Console"),
    ('What? A "Title": Part 1/2 <draft> | v*', "What_ A _Title__ Part 1_2 _draft_ _ v_"),
    ("C:\\Windows\\evil", "C__Windows_evil"),
    ("line\nbreak\ttab\x00nul\x7f", "line_break_tab_nul_"),
    ("  ..hidden and trailing. . ", "hidden and trailing"),
    ("..", "Unknown"),
    ("", "Unknown"),
    ("???", "Unknown"),
])
def test_unsafe_names_are_made_safe(name, expected):
    assert safe_component(name) == expected


def test_bidi_overrides_and_invisible_marks_are_removed():
    # "\u202e" would display "evil\u202egnp.exe" as "evilexe.png".
    assert safe_component("evil\u202egnp.exe") == "evilgnp.exe"
    assert safe_component("zero\u200bwidth\ufeff \u2066isolate\u2069") == "zerowidth isolate"


def test_decomposed_accents_become_composed_characters():
    decomposed = unicodedata.normalize("NFD", "Brontë – Émile")
    assert safe_component(decomposed) == unicodedata.normalize("NFC", "Brontë – Émile")


@pytest.mark.parametrize("title", ["x" * 1000, "é" * 1000, "书" * 1000, "a" + "😀" * 500])
def test_a_very_long_title_fits_the_byte_limit_without_splitting_a_character(title):
    name = safe_component(title)
    assert 0 < len(name.encode("utf-8")) <= MAX_COMPONENT_BYTES
    assert title.startswith(name)


def test_an_empty_result_uses_the_fallback():
    assert safe_component(" . ", fallback="Unknown Author") == "Unknown Author"
    assert safe_component(None, fallback="book") == "book"  # type: ignore[arg-type]
