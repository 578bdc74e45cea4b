"""Start at login: each OS's way written where the test says, read back as that OS would."""

from __future__ import annotations

import contextlib
import plistlib
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bookdesk.platform.autostart import (
    LAUNCH_AGENT_LABEL,
    LaunchAgent,
    WindowsRunKey,
    XdgAutostart,
    autostart_command,
    autostart_for,
    exec_value,
)

AWKWARD = ["/opt/Book Desk/bookdesk", "--library", "/home/ann/My \"Books\" $HOME `x` 100%\\ok"]


# ----- the command to register ----------------------------------------------------------------


def test_from_a_python_environment_the_command_is_this_python_running_bookdesk(monkeypatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    command = autostart_command()
    assert command[1:] == ["-m", "bookdesk"]
    assert Path(command[0]).parent == Path(sys.executable).parent
    assert autostart_command(["--library", "/books"])[-2:] == ["--library", "/books"]


def test_the_command_really_starts_bookdesk() -> None:
    done = subprocess.run([*autostart_command(), "--version"], capture_output=True, text=True, timeout=120,
                          cwd=Path.home() if Path.home().is_dir() else None)
    assert done.returncode == 0 and done.stdout.startswith("BookDesk ")


def test_from_the_bundle_the_command_is_the_bundles_program(monkeypatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/bookdesk/bookdesk")
    assert autostart_command() == ["/opt/bookdesk/bookdesk"]
    assert autostart_command(["--library", "/books"]) == ["/opt/bookdesk/bookdesk", "--library", "/books"]


@pytest.mark.parametrize(("platform", "kind"), [("linux", XdgAutostart), ("freebsd14", XdgAutostart),
                                                ("darwin", LaunchAgent), ("win32", WindowsRunKey)])
def test_each_os_gets_its_own_way(platform: str, kind: type) -> None:
    if kind is WindowsRunKey and sys.platform != "win32":
        pytest.skip("the registry exists only on Windows")
    assert isinstance(autostart_for(platform), kind)


# ----- Linux: XDG autostart ------------------------------------------------------------------


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def exec_arguments(value: str) -> list[str]:
    """Split an Exec value as a desktop does (Desktop Entry Specification, "The Exec key")."""
    value = value.replace("\\\\", "\\")  # first the string escape of every key file value
    arguments: list[str] = []
    current, quoted, started, i = "", False, False, 0
    while i < len(value):
        c = value[i]
        if quoted and c == "\\":
            current, i = current + value[i + 1], i + 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if started:
                arguments.append(current)
            current, started = "", False
        else:
            current, started = current + c, True
        i += 1
    if started:
        arguments.append(current)
    return [a.replace("%%", "%") for a in arguments]


def test_linux_start_at_login_is_an_xdg_autostart_entry(tmp_path) -> None:
    autostart = XdgAutostart(tmp_path / "config")
    assert not autostart.enabled()

    autostart.enable(AWKWARD)

    assert autostart.path == tmp_path / "config" / "autostart" / "bookdesk.desktop"
    assert autostart.enabled()
    entry = desktop_entry(autostart.path)
    assert entry["Type"] == "Application" and entry["Name"] == "BookDesk"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert exec_arguments(entry["Exec"]) == AWKWARD
    assert list((tmp_path / "config" / "autostart").iterdir()) == [autostart.path]  # no temporary files left

    autostart.disable()
    assert not autostart.enabled() and not autostart.path.exists()
    autostart.disable()  # nothing to remove: fine


def test_the_entry_passes_desktop_file_validate(tmp_path) -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed")
    autostart = XdgAutostart(tmp_path)
    autostart.enable(AWKWARD)
    done = subprocess.run([validate, str(autostart.path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.parametrize("command", [["bookdesk"], [sys.executable, "-m", "bookdesk"], ["a b", "", "c'd"]])
def test_simple_and_odd_commands_read_back_the_same(command: list[str]) -> None:
    assert exec_arguments(exec_value(command)) == command


def test_an_entry_switched_off_in_the_desktops_settings_is_not_enabled(tmp_path) -> None:
    autostart = XdgAutostart(tmp_path)
    autostart.enable(["bookdesk"])
    text = autostart.path.read_text(encoding="utf-8")
    autostart.path.write_text(text.replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"),
                              encoding="utf-8")
    assert not autostart.enabled()
    autostart.path.write_text(text + "Hidden=true\n", encoding="utf-8")
    assert not autostart.enabled()
    autostart.enable(["bookdesk"])  # asked for again: on again
    assert autostart.enabled()


def test_the_xdg_config_folder_comes_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert XdgAutostart().path == tmp_path / "xdg" / "autostart" / "bookdesk.desktop"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert XdgAutostart().path == tmp_path / "home" / ".config" / "autostart" / "bookdesk.desktop"


def test_a_command_with_a_line_break_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError):
        XdgAutostart(tmp_path).enable(["bookdesk", "--library", "two\nlines"])
    assert not XdgAutostart(tmp_path).path.exists()


# ----- macOS: a LaunchAgent ------------------------------------------------------------------


def test_macos_start_at_login_is_a_launch_agent(tmp_path) -> None:
    agent = LaunchAgent(tmp_path / "LaunchAgents")
    assert not agent.enabled()

    agent.enable(AWKWARD)

    assert agent.path == tmp_path / "LaunchAgents" / "org.bookdesk.BookDesk.plist"
    assert agent.enabled()
    with agent.path.open("rb") as stream:
        written = plistlib.load(stream)
    assert written["Label"] == LAUNCH_AGENT_LABEL
    assert written["ProgramArguments"] == AWKWARD
    assert written["RunAtLoad"] is True
    assert written["LimitLoadToSessionType"] == "Aqua"

    agent.disable()
    assert not agent.enabled() and not agent.path.exists()
    agent.disable()


def test_a_launch_agent_switched_off_or_damaged_is_not_enabled(tmp_path) -> None:
    agent = LaunchAgent(tmp_path)
    agent.enable(["/Applications/BookDesk.app/Contents/MacOS/BookDesk"])
    with agent.path.open("rb") as stream:
        written = plistlib.load(stream)
    agent.path.write_bytes(plistlib.dumps({**written, "Disabled": True}))
    assert not agent.enabled()
    agent.path.write_bytes(b"<plist>half a")
    assert not agent.enabled()
    agent.enable(["/Applications/BookDesk.app/Contents/MacOS/BookDesk"])
    assert agent.enabled()


def test_an_empty_command_is_refused(tmp_path) -> None:
    for autostart in (XdgAutostart(tmp_path), LaunchAgent(tmp_path)):
        with pytest.raises(ValueError):
            autostart.enable([])
        assert not autostart.enabled()


# ----- Windows: the Run key ------------------------------------------------------------------


@pytest.fixture
def scratch_key():
    """A key of this test's own under HKCU\\Software, removed afterwards."""
    winreg = pytest.importorskip("winreg", reason="the registry exists only on Windows")
    base = rf"Software\BookDeskTests\{uuid.uuid4().hex}"
    yield winreg, base
    for sub in (rf"{base}\Run", rf"{base}\Approved", base):
        with contextlib.suppress(FileNotFoundError):
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, sub)


def test_windows_start_at_login_is_a_run_key_value(scratch_key) -> None:
    winreg, base = scratch_key
    run = WindowsRunKey(winreg.HKEY_CURRENT_USER, rf"{base}\Run", rf"{base}\Approved")
    assert not run.enabled()

    run.enable([r"C:\Program Files\BookDesk\bookdesk.exe", "--library", r"D:\My Books"])

    assert run.enabled()
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, rf"{base}\Run") as key:
        value, kind = winreg.QueryValueEx(key, "BookDesk")
    assert kind == winreg.REG_SZ
    assert value == r'"C:\Program Files\BookDesk\bookdesk.exe" --library "D:\My Books"'

    # Switched off on Task Manager's Startup page: not enabled, until asked for again.
    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, rf"{base}\Approved") as key:
        winreg.SetValueEx(key, "BookDesk", 0, winreg.REG_BINARY, b"\x03" + b"\x00" * 11)
    assert not run.enabled()
    run.enable([r"C:\BookDesk\bookdesk.exe"])
    assert run.enabled()

    run.disable()
    assert not run.enabled()
    run.disable()
