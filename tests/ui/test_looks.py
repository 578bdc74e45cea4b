"""Every view, in both themes, as ``bookdesk smoke --check`` sees it at the default 1280×800: text a
person can read (WCAG AA, sampled from the painted window) and no column header cut short."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from bookdesk.core.library_service import LibraryService
from bookdesk.core.series.service import SeriesService
from bookdesk.ui.look_check import check_window
from bookdesk.ui.views import VIEW_NAMES


@pytest.fixture
def library(tmp_path: Path, corpus: Path, import_books) -> Path:  # noqa: ANN001
    folder = tmp_path / "Library"
    service = LibraryService.open(folder)
    try:
        result, _report = import_books(service.catalog, [corpus])
        assert result.state == "succeeded", result.error
        series = SeriesService(service.catalog, follow_changes=False)
        with_gaps = [s for s in series.summaries() if s.missing]
        assert with_gaps, "the corpus has series with gaps"
        series.want_missing(with_gaps[0].id)  # the Wanted view has rows
    finally:
        service.close()
    return folder


def smoke_check(library: Path, view: str, theme: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOOKDESK_CONFIG_DIR=str(home / "config"),
               BOOKDESK_LOG_DIR=str(home / "logs"))
    return subprocess.run([sys.executable, "-m", "bookdesk", "smoke", "--library", str(library), "--view", view,
                           "--theme", theme, "--check"], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("view", VIEW_NAMES)
def test_each_view_is_readable_and_shows_whole_headers(library: Path, view: str, theme: str,
                                                       tmp_path: Path) -> None:
    result = smoke_check(library, view, theme, tmp_path)
    assert f"look: {view} ({theme}): 0 finding(s)" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stderr


def test_the_check_finds_faint_text_and_passes_plain_text(qtbot) -> None:  # noqa: ANN001
    window = QWidget()
    qtbot.addWidget(window)
    faint, plain = QLabel("Hard to read"), QLabel("Easy to read")
    faint.setStyleSheet("color: #c8c8c8; background: #ffffff;")
    plain.setStyleSheet("color: #202020; background: #ffffff;")
    layout = QVBoxLayout(window)
    layout.addWidget(faint)
    layout.addWidget(plain)
    window.show()
    qtbot.waitExposed(window)
    found = [str(f) for f in check_window(window)]
    assert any("Hard to read" in f and "contrast" in f for f in found), found
    assert not any("Easy to read" in f for f in found), found


def test_disabled_controls_stay_dark_in_the_dark_theme(qtbot, qapp) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QLineEdit, QPushButton

    from bookdesk.ui.look_check import luminance
    from bookdesk.ui.theme import set_palette

    set_palette(qapp, dark=True)
    try:
        window = QWidget()
        qtbot.addWidget(window)
        field, button = QLineEdit(), QPushButton("Back")
        layout = QVBoxLayout(window)
        for control in (field, button):
            control.setEnabled(False)
            layout.addWidget(control)
        window.show()
        qtbot.waitExposed(window)
        image = window.grab().toImage()
        for control in (field, button):
            inside = control.geometry().center()
            inside.setX(control.geometry().left() + 6)  # beside any text: the control's own background
            assert luminance(image.pixelColor(inside.x() * image.width() // window.width(),
                                              inside.y() * image.height() // window.height())) < 0.1
    finally:
        set_palette(qapp, dark=False)


@pytest.mark.parametrize("dark", [False, True])
def test_a_series_and_the_books_it_lacks_read_in_both_themes(qtbot, qapp, make_window, filled_service, loaded,  # noqa: ANN001
                                                             dark: bool) -> None:
    from bookdesk.ui.theme import set_palette

    set_palette(qapp, dark=dark)
    try:
        window = make_window(filled_service)
        window.resize(1280, 800)
        window.show_view("series")
        view = loaded(window.series_view)
        row = next(r for r, s in enumerate(view.model.records) if s.missing)
        view.table.selectRow(row)
        entries = view.detail.entries
        qtbot.waitUntil(lambda: entries.count() > 0)
        ghosts = [entries.item(i).text() for i in range(entries.count()) if "[missing" in entries.item(i).text()]
        assert ghosts  # the books it lacks are listed, each a ghost
        found = [str(f) for f in check_window(window)]  # the ghosts, the subtitle, all of it
        assert found == []
    finally:
        set_palette(qapp, dark=False)
