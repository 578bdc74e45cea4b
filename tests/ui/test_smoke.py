"""``bookdesk smoke`` as a packager or a new user runs it: a real process, a real window, a PNG."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from bookdesk.core.library_service import LibraryService


def smoke(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOOKDESK_CONFIG_DIR=str(env_dir / "config"),
               BOOKDESK_LOG_DIR=str(env_dir / "logs"))
    return subprocess.run([sys.executable, "-m", "bookdesk", "smoke", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_smoke_paints_the_library_and_saves_a_screenshot(filled_service: LibraryService, tmp_path: Path) -> None:
    books = filled_service.count()
    folder = filled_service.folder
    filled_service.close()  # the smoke process needs the library to itself
    shot = tmp_path / "out.png"
    result = smoke("--library", str(folder), "--screenshot", str(shot), env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"library view painted with {books} rows" in result.stdout
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 640 and image.height() >= 480
    # A real picture, not a blank rectangle: the table's text gives many distinct colours.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20
    assert not (tmp_path / "config" / "window.ini").exists()  # a check leaves the user's window alone


def test_smoke_can_open_each_view(tmp_path: Path) -> None:
    for view in ("series", "downloads", "activity"):
        result = smoke("--library", str(tmp_path / "lib"), "--view", view, env_dir=tmp_path)
        assert result.returncode == 0, result.stderr
        assert f"{view} view painted" in result.stdout
        assert "Traceback" not in result.stderr  # it ends as cleanly as it starts, its event loop closed


def test_a_library_open_in_another_bookdesk_gets_a_clear_message(service: LibraryService, tmp_path: Path) -> None:
    result = smoke("--library", str(service.folder), env_dir=tmp_path)
    assert result.returncode == 1
    assert "already open in another BookDesk" in result.stderr
    assert "Traceback" not in result.stderr
