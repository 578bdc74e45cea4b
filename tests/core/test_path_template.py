"""Where an imported book goes: tidy folders, and no metadata can ever lead outside the library."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

import pytest

from bookdesk.core.path_template import DEFAULT_TEMPLATE, PathFields, render, validate
from bookdesk.errors import UsageError


def fields(**changes) -> PathFields:
    base = {"author": "Ursula K. Le Guin", "author_sort": "Le Guin, Ursula K.", "title": "A Wizard of Earthsea",
            "ext": "epub", "series": "Earthsea", "series_position": "1"}
    return PathFields(**{**base, **changes})


def test_a_book_in_a_series_goes_in_its_author_and_series_folders():
    assert render(DEFAULT_TEMPLATE, fields()) == (
        "Le Guin, Ursula K/Earthsea/1 - A Wizard of Earthsea/A Wizard of Earthsea - Ursula K. Le Guin.epub")


def test_a_book_in_no_series_has_no_series_folder_and_no_dangling_dash():
    assert render(DEFAULT_TEMPLATE, fields(series="", series_position="")) == (
        "Le Guin, Ursula K/A Wizard of Earthsea/A Wizard of Earthsea - Ursula K. Le Guin.epub")


HOSTILE = [
    {"title": "../../../etc/passwd"},
    {"title": "/absolute/path", "author": "/root"},
    {"author_sort": "..", "series": "..", "series_position": ".."},
    {"author_sort": "C:\\Windows", "title": "\\\\server\\share"},
    {"title": "..", "author": ".."},
    {"title": "", "author": "", "author_sort": "", "series": "", "series_position": ""},
    {"title": "???", "author": "***", "author_sort": "|<>|"},
    {"title": "CON", "author_sort": "aux", "series": "nul"},
    {"title": "x\u202e\x00\n", "series": " . . "},
    {"title": "é" * 400, "author_sort": "ü" * 400},
    {"ext": "../sh"},
]


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("template", [DEFAULT_TEMPLATE, "{title}.{ext}", "{author}/../{title}.{ext}",
                                      "/{series}/{title}.{ext}"])
def test_no_metadata_can_make_a_path_that_leaves_the_library(template, hostile):
    path = render(template, fields(**hostile))
    parts = path.split("/")
    assert not PurePosixPath(path).is_absolute() and not PureWindowsPath(path).is_absolute()
    assert not PureWindowsPath(path).drive
    assert all(part and part not in (".", "..") for part in parts)
    assert not any(ch in part for part in parts for ch in '<>:"\\|?*\x00\n\u202e')
    assert all(len(part.encode("utf-8")) <= 160 for part in parts)
    assert parts[-1].endswith(".sh" if "ext" in hostile else ".epub")  # the extension stays one plain word


def test_a_title_made_only_of_unsafe_characters_still_gives_a_safe_file_name():
    assert render("{title}.{ext}", fields(title="???")) == "book.epub"
    assert render("{title}.{ext}", fields(title="..")) == "book.epub"


def test_a_template_naming_an_unknown_field_is_refused():
    with pytest.raises(UsageError, match="isbn"):
        validate("{author}/{isbn}.{ext}")
    validate(DEFAULT_TEMPLATE)
