"""Start BookDesk when the user logs in: one small interface over what each OS offers.

- Linux and other free desktops: a ``bookdesk.desktop`` file in ``$XDG_CONFIG_HOME/autostart``
  (the XDG Autostart specification).
- Windows: a ``BookDesk`` value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.
- macOS: a LaunchAgent, ``~/Library/LaunchAgents/org.bookdesk.BookDesk.plist``.

Each takes the place it writes to as an argument, so tests can point it at a temporary folder
(or a scratch registry key) and never touch the real session.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from xml.parsers.expat import ExpatError

from bookdesk import APP_NAME

DESKTOP_FILE_NAME = "bookdesk.desktop"
LAUNCH_AGENT_LABEL = "org.bookdesk.BookDesk"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
# Where Task Manager's Startup page records that the user switched an entry off.
STARTUP_APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"


class Autostart(Protocol):
    def enabled(self) -> bool:
        """Whether BookDesk starts at login now."""
        ...

    def enable(self, command: list[str]) -> None:
        """Start ``command`` (the program and its arguments) at every login."""
        ...

    def disable(self) -> None:
        """Start nothing at login; fine when nothing was set up."""
        ...


def autostart_command(extra_args: Sequence[str] = ()) -> list[str]:
    """The command that starts this BookDesk: the bundle's executable, or this Python with ``-m bookdesk``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *extra_args]
    python = Path(sys.executable)
    if sys.platform == "win32" and python.name.lower() == "python.exe":
        windowless = python.with_name("pythonw.exe")  # no console window flashing up at login
        if windowless.exists():
            python = windowless
    return [str(python), "-m", "bookdesk", *extra_args]


def autostart_for(platform: str = sys.platform) -> Autostart:
    """The start-at-login mechanism of ``platform`` (a ``sys.platform`` value), for the current user."""
    if platform == "win32":
        return WindowsRunKey()
    if platform == "darwin":
        return LaunchAgent()
    return XdgAutostart()  # Linux, the BSDs: every desktop that follows freedesktop.org


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a session starting meanwhile sees the old file or
    the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ----- Linux: XDG autostart --------------------------------------------------------------------

# Characters that make the Exec key quote an argument (Desktop Entry Specification, "The Exec key").
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def _exec_argument(argument: str) -> str:
    if "\n" in argument or "\r" in argument:
        raise ValueError(f"a login command cannot hold a line break: {argument!r}")
    argument = argument.replace("%", "%%")  # a lone % would start a field code such as %f
    if argument and not _EXEC_RESERVED.intersection(argument):
        return argument
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{quoted}"'


def exec_value(command: Sequence[str]) -> str:
    """``command`` as the value of a desktop file's Exec key: quoted per argument, and then
    escaped once more as a key file string (so a backslash is written four times)."""
    line = " ".join(_exec_argument(a) for a in command)
    return line.replace("\\", "\\\\")


def xdg_config_home() -> Path:
    value = os.environ.get("XDG_CONFIG_HOME", "")
    # The specification says to ignore a relative path here.
    return Path(value) if os.path.isabs(value) else Path.home() / ".config"


class XdgAutostart:
    def __init__(self, config_home: Path | None = None) -> None:
        self.path = (config_home or xdg_config_home()) / "autostart" / DESKTOP_FILE_NAME

    def enabled(self) -> bool:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        entry = _desktop_entry(text)
        # Desktops hide an entry the user switched off in their startup settings in either of these ways.
        return (entry.get("Hidden", "false") != "true"
                and entry.get("X-GNOME-Autostart-enabled", "true") != "false"
                and bool(entry.get("Exec")))

    def enable(self, command: list[str]) -> None:
        if not command:
            raise ValueError("no command to start")
        text = (
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Version=1.4\n"
            f"Name={APP_NAME}\n"
            "Comment=Keep your ebooks and audiobooks complete and correct\n"
            "Icon=bookdesk\n"
            f"Exec={exec_value(command)}\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
        _write_atomically(self.path, text.encode("utf-8"))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


def _desktop_entry(text: str) -> dict[str, str]:
    """The keys of the ``[Desktop Entry]`` group (enough to read back what we wrote)."""
    entry: dict[str, str] = {}
    in_group = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            in_group = line == "[Desktop Entry]"
        elif in_group and "=" in line:
            key, value = line.split("=", 1)
            entry[key.strip()] = value.strip()
    return entry


# ----- macOS: a LaunchAgent --------------------------------------------------------------------


class LaunchAgent:
    def __init__(self, agents_folder: Path | None = None) -> None:
        folder = agents_folder or Path.home() / "Library" / "LaunchAgents"
        self.path = folder / f"{LAUNCH_AGENT_LABEL}.plist"

    def enabled(self) -> bool:
        try:
            with self.path.open("rb") as stream:
                agent = plistlib.load(stream)
        except (OSError, plistlib.InvalidFileException, ValueError, ExpatError):  # missing or damaged
            return False
        return (isinstance(agent, dict) and agent.get("RunAtLoad") is True and not agent.get("Disabled", False)
                and bool(agent.get("ProgramArguments")))

    def enable(self, command: list[str]) -> None:
        if not command:
            raise ValueError("no command to start")
        agent = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            # Only in a logged-in desktop session, where a window can open; not over ssh.
            "LimitLoadToSessionType": "Aqua",
            "ProcessType": "Interactive",
        }
        _write_atomically(self.path, plistlib.dumps(agent, fmt=plistlib.FMT_XML))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


# ----- Windows: the Run key ------------------------------------------------------------------


class WindowsRunKey:
    """The ``BookDesk`` value of the current user's Run key.

    ``root`` and the key paths may be changed for tests (a scratch key under HKCU\\Software)."""

    def __init__(self, root: int | None = None, run_key: str = RUN_KEY,
                 approved_key: str = STARTUP_APPROVED_KEY, value_name: str = APP_NAME) -> None:
        import winreg  # only on Windows; the class is built only there

        self._winreg = winreg
        self.root = winreg.HKEY_CURRENT_USER if root is None else root
        self.run_key, self.approved_key, self.value_name = run_key, approved_key, value_name

    def _read(self, key_path: str) -> object | None:
        winreg = self._winreg
        try:
            with winreg.OpenKey(self.root, key_path) as key:
                return winreg.QueryValueEx(key, self.value_name)[0]
        except FileNotFoundError:
            return None

    def _delete(self, key_path: str) -> None:
        winreg = self._winreg
        try:
            with winreg.OpenKey(self.root, key_path, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, self.value_name)
        except FileNotFoundError:
            pass

    def enabled(self) -> bool:
        if not self._read(self.run_key):
            return False
        approved = self._read(self.approved_key)
        # Task Manager writes 12 bytes; an odd first byte means the user switched the entry off there.
        return not (isinstance(approved, bytes) and approved and approved[0] & 1)

    def enable(self, command: list[str]) -> None:
        if not command:
            raise ValueError("no command to start")
        winreg = self._winreg
        with winreg.CreateKeyEx(self.root, self.run_key, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, self.value_name, 0, winreg.REG_SZ, subprocess.list2cmdline(command))
        self._delete(self.approved_key)  # asked for again here: an old "switched off" no longer holds

    def disable(self) -> None:
        self._delete(self.run_key)
        self._delete(self.approved_key)
