"""The tray icon on a real X server with a real tray (Xvfb and trayer, as a desktop panel would be):
``bookdesk smoke --tray`` says the tray is there and the icon shows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("trayer")),
                                reason="needs Xvfb and trayer (Debian packages xvfb and trayer)")


@pytest.fixture
def x_display(tmp_path) -> Iterator[str]:
    """A private X server with a system tray on it; its display name."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as numbers:
        display = f":{numbers.readline().strip()}"
    tray = subprocess.Popen(["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "200",
                             "--height", "24"], env={**os.environ, "DISPLAY": display},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_tray(display)  # trayer takes the tray selection once it has mapped its window, when it can
        yield display
    finally:
        for process in (tray, xvfb):
            process.terminate()
            process.wait(10)


_ASK_FOR_TRAY = ("import sys; from PySide6.QtWidgets import QApplication, QSystemTrayIcon; app = QApplication([]); "
                 "sys.exit(0 if QSystemTrayIcon.isSystemTrayAvailable() else 1)")


def wait_for_tray(display: str, patience: float = 60.0) -> None:
    """Until a Qt program on ``display`` finds the tray, as ``bookdesk smoke`` will (a fixed sleep was a
    guess that a busy machine made wrong)."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    end = time.monotonic() + patience
    while subprocess.run([sys.executable, "-c", _ASK_FOR_TRAY], env=env, capture_output=True).returncode != 0:
        if time.monotonic() > end:
            pytest.fail(f"no tray appeared on {display}")
        time.sleep(0.2)


def test_smoke_with_a_tray_shows_the_icon(x_display, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=x_display, QT_QPA_PLATFORM="xcb", PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "bookdesk", "smoke", "--tray", "--library", str(tmp_path / "Library")],
                          capture_output=True, text=True, cwd=REPO, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "tray available: yes; icon visible: yes" in done.stdout


def test_smoke_without_a_tray_host_says_so_and_still_works(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bookdesk", "smoke", "--tray", "--library", str(tmp_path / "Library")],
                          capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    assert "tray available: no; icon visible: no" in done.stdout
