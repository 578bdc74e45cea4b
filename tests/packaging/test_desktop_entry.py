"""The menu entry the .deb installs: it starts BookDesk, shows its icon and offers to open books."""

from __future__ import annotations

import ast
import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DESKTOP_FILE = REPO / "packaging" / "linux" / "bookdesk.desktop"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def values(entry: configparser.SectionProxy, key: str) -> list[str]:
    return [value for value in entry[key].split(";") if value]


def test_the_entry_starts_bookdesk_with_the_files_it_was_given() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "BookDesk"
    assert entry["Exec"].split() == ["bookdesk", "%F"]  # /usr/bin/bookdesk, several files at once
    assert entry["Terminal"] == "false"


def test_the_entry_shows_the_icon_the_build_renders() -> None:
    script = ast.parse((REPO / "packaging" / "render_icons.py").read_text(encoding="utf-8"))
    rendered_name = next(node.value.value for node in script.body if isinstance(node, ast.Assign)
                         and any(isinstance(t, ast.Name) and t.id == "NAME" for t in node.targets))
    assert desktop_entry()["Icon"] == rendered_name == "bookdesk"


def test_open_with_bookdesk_is_offered_for_epub_and_m4b() -> None:
    mime_types = values(desktop_entry(), "MimeType")
    assert "application/epub+zip" in mime_types
    assert "audio/x-m4b" in mime_types
    assert "audio/mp4" in mime_types  # what many desktops call an .m4b whose magic they do not check


def test_the_entry_sits_in_the_office_menu() -> None:
    assert "Office" in values(desktop_entry(), "Categories")


def test_the_file_is_named_as_the_window_announces_itself() -> None:
    # Desktops match a window to its entry through QGuiApplication.desktopFileName.
    assert DESKTOP_FILE.name == "bookdesk.desktop"
    assert 'setDesktopFileName("bookdesk")' in (REPO / "bookdesk" / "ui" / "application.py").read_text()


def test_desktop_file_validate_accepts_the_entry(tmp_path: Path) -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (Debian: apt-get install desktop-file-utils)")
    result = subprocess.run([validator, str(DESKTOP_FILE)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # not even a hint
