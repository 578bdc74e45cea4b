"""A first start on a desktop whose keyring refuses (no default keyring, its prompt cancelled): BookDesk
starts without asking the keyring at all, and a secret is asked for only when the person uses one; the
refusal is then a message in the window, never the end of the process. The real app, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# The child: the keyring refuses; the welcome wizard is gone through as a person would (a token typed,
# Start pressed); once the window shows, Settings is opened, then Settings → Metadata Providers (it shows
# the tokens), and then the app quits from its menu. What it saw is written to argv[1], one line each.
DRIVER = r"""
import sys
from pathlib import Path

import keyring

from tests.fakes.refusing_keyring import RefusingKeyring

keyring.set_keyring(RefusingKeyring())

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from bookdesk.app import main
from bookdesk.ui.application import create_app
from bookdesk.ui.first_run import FirstRunWizard
from bookdesk.ui.main_window import MainWindow

seen, asked = Path(sys.argv[1]), Path(sys.argv[2])
step = {"wizard": False, "settings": None}


def note(line):
    with seen.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def look():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, FirstRunWizard) and widget.isVisible() and not step["wizard"]:
            step["wizard"] = True
            note("wizard shown")
            while widget.currentPage() is not widget.providers_page:
                widget.next()
            widget.providers_page.tokens["hardcover"].setText("hc-refused-token")
            while widget.currentPage() is not widget.books_page:
                widget.next()
            widget.accept()
            note("wizard problem: " + widget.providers_page.problem.text())
            widget.providers_page.tokens["hardcover"].clear()  # goes on without the token
            while widget.currentPage() is not widget.books_page:
                widget.next()
            widget.accept()
        if isinstance(widget, MainWindow) and widget.isVisible() and widget.attached:  # the frame shows first
            if step["settings"] is None:
                note("window shown")
                first = widget.edit_settings()  # Settings, on its first page: no token shown, none read
                note("asked by then: " + (asked.read_text(encoding="utf-8").replace("\n", ", ")
                                          if asked.exists() else ""))
                first.reject()
                step["settings"] = widget.edit_settings("providers")
                note("said: " + widget.status_label.text())
                note("dialogs: " + " | ".join(d.message_label.text() for d in widget.presenter.dialogs))
                note("note: " + step["settings"].providers_page.keyring_note.text())
                step["settings"].reject()
                widget.quit_app()
                return
    QTimer.singleShot(50, look)


create_app()
QTimer.singleShot(0, look)
sys.exit(main([]))
"""


def test_a_start_never_asks_the_keyring_and_a_refusal_is_told_in_the_window(tmp_path: Path) -> None:
    asked, seen = tmp_path / "keyring-asked.txt", tmp_path / "seen.txt"
    env = {key: value for key, value in os.environ.items() if not key.startswith("BOOKDESK_")}
    env.update({"PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home"),
                "XDG_DATA_HOME": str(tmp_path / "data"), "BOOKDESK_CONFIG_DIR": str(tmp_path / "config"),
                "BOOKDESK_LOG_DIR": str(tmp_path / "logs"), "BOOKDESK_CACHE_DIR": str(tmp_path / "cache"),
                "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "BOOKDESK_TEST_KEYRING_LOG": str(asked)})
    done = subprocess.run([sys.executable, "-c", DRIVER, str(seen), str(asked)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=180)
    lines = seen.read_text(encoding="utf-8").splitlines() if seen.exists() else []
    assert done.returncode == 0, (done.stderr, lines)
    assert lines[0] == "wizard shown"
    assert "keyring" in lines[1] and "hc-refused-token" not in lines[1]  # Start pressed: told, not ended
    assert "window shown" in lines
    assert "asked by then: set hardcover-token, " in lines  # the window's start and Settings asked nothing
    refused = [line for line in lines if line.startswith(("said:", "dialogs:", "note:")) and "keyring" in line]
    assert refused, lines  # the providers' page could not read the tokens, and says so
    # The keyring was asked only for the token typed in the wizard, and when the tokens were shown.
    assert asked.read_text(encoding="utf-8").splitlines()[0] == "set hardcover-token"
