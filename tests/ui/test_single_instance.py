"""One BookDesk per library: a second launch hands its files to the first, which shows them.

The message protocol and the server are tested in this process; the whole story with two
real BookDesk processes, as a file manager's "Open with BookDesk" runs it.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QApplication, QWidget

from bookdesk.core.library_service import LibraryService
from bookdesk.errors import BookDeskError
from bookdesk.ui.single_instance import (
    ACK,
    FileOpenFilter,
    HandOver,
    InstanceServer,
    bring_forward,
    decode_request,
    encode_request,
    hand_over_once_listening,
    instance_running,
    is_ack,
    send_request,
    server_name,
)
from tests.conftest import REPO, simple_metadata, write_epub

# ----- the message ---------------------------------------------------------------------------


def test_a_request_carries_absolute_paths_whatever_folder_the_launch_ran_in(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    request = encode_request([Path("book.epub"), Path("sub/../other.m4b")])

    assert request.endswith(b"\n") and request.count(b"\n") == 1
    assert json.loads(request) == {"paths": [str(tmp_path / "book.epub"), str(tmp_path / "other.m4b")],
                                   "activate": True}
    assert decode_request(request.rstrip(b"\n")) == HandOver([tmp_path / "book.epub", tmp_path / "other.m4b"])


def test_a_launch_without_files_only_asks_for_the_window() -> None:
    assert decode_request(encode_request([])) == HandOver([], activate=True)
    assert decode_request(b'{"paths": []}') == HandOver([], activate=True)


@pytest.mark.parametrize("message", [
    b"GET / HTTP/1.1",
    b"\xff\xfe not utf-8",
    b'["/a.epub"]',
    b'{"paths": "/a.epub"}',
    b'{"paths": [1, 2]}',
    b'{"paths": ["relative/book.epub"]}',
    b'{"paths": [], "activate": "yes"}',
    b'{"paths": ["/' + b"x" * (1 << 20) + b'"]}',
])
def test_a_message_that_is_not_a_hand_over_is_refused(message: bytes) -> None:
    with pytest.raises(ValueError):
        decode_request(message)


def test_only_the_acknowledgement_counts_as_one() -> None:
    assert is_ack(ACK) and is_ack(ACK.strip())
    assert not is_ack(b'{"ok": false}') and not is_ack(b"ok") and not is_ack(b"")


# ----- the name ------------------------------------------------------------------------------


def test_one_library_has_one_name_however_it_is_spelled(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    library = tmp_path / "Library"
    name = server_name(library, user="ann")

    assert re.fullmatch(r"bookdesk-[0-9a-f]{20}", name)
    assert server_name(Path("Library"), user="ann") == name
    assert server_name(Path(f"{library}/"), user="ann") == name
    assert server_name(tmp_path / "x" / ".." / "Library", user="ann") == name
    assert server_name(tmp_path / "Other", user="ann") != name
    assert server_name(library, user="bob") != name


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_RUNTIME_DIR is a Linux folder")
def test_on_linux_the_name_lies_in_the_users_own_runtime_folder(tmp_path, monkeypatch) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    name = server_name(tmp_path / "Library", user="ann")
    if len(str(runtime)) < 60:
        assert Path(name).parent == runtime
    deep = tmp_path / ("d" * 100)
    deep.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    assert "/" not in server_name(tmp_path / "Library", user="ann")  # too long for a socket: Qt's folder


# ----- the server in this process ------------------------------------------------------------


@pytest.fixture
def name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A name of this test's own (its library is its own), freed afterwards."""
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    chosen = server_name(tmp_path / "Library")
    yield chosen
    QLocalServer.removeServer(chosen)


@pytest.fixture
def server(qapp: QApplication, name: str) -> Iterator[InstanceServer]:
    listening = InstanceServer(name)
    assert listening.listen()
    yield listening
    listening.close()


class InThread:
    """A blocking client run beside this thread's event loop, which the server needs."""

    def __init__(self, fn, *args) -> None:  # noqa: ANN001
        self.result: object = None
        self._thread = threading.Thread(target=lambda: setattr(self, "result", fn(*args)), daemon=True)
        self._thread.start()

    def finished(self) -> bool:
        return not self._thread.is_alive()


def test_a_later_launch_hands_its_files_over_and_hears_they_arrived(qtbot, server, name, tmp_path) -> None:
    book = tmp_path / "Book.epub"
    with qtbot.waitSignal(server.handed_over, timeout=30_000) as arrived:
        client = InThread(send_request, name, encode_request([book]))

    assert arrived.args == [HandOver([book], activate=True)]
    qtbot.waitUntil(client.finished, timeout=30_000)
    assert client.result is True


def test_a_stranger_gets_no_answer_and_hands_nothing_over(qtbot, server, name) -> None:
    with qtbot.assertNotEmitted(server.handed_over, wait=300):
        client = InThread(send_request, name, b"GET / HTTP/1.1\n", 30.0)
        qtbot.waitUntil(client.finished, timeout=30_000)
    assert client.result is False


def test_a_visit_that_says_nothing_does_no_harm(qtbot, server, name, tmp_path) -> None:
    with qtbot.assertNotEmitted(server.handed_over, wait=300):
        assert instance_running(tmp_path / "Library")
    assert server.is_listening()
    with qtbot.waitSignal(server.handed_over, timeout=30_000):  # the next launch is heard as ever
        client = InThread(send_request, name, encode_request([]))
    qtbot.waitUntil(client.finished, timeout=30_000)
    assert client.result is True


def test_nobody_listening_means_nobody_to_hand_over_to(qapp, name, tmp_path) -> None:
    assert not instance_running(tmp_path / "Library")
    assert send_request(name, encode_request([tmp_path / "Book.epub"])) is False


def test_a_second_server_leaves_the_name_to_the_live_one(qtbot, server, name) -> None:
    second = InstanceServer(name)
    assert not second.listen()
    assert not second.is_listening()
    with qtbot.waitSignal(server.handed_over, timeout=30_000):  # the first still answers
        client = InThread(send_request, name, encode_request([]))
    qtbot.waitUntil(client.finished, timeout=30_000)
    assert client.result is True


def test_a_launch_that_finds_the_library_locked_waits_for_the_bookdesk_still_starting(qtbot, qapp, name,
                                                                                     tmp_path, monkeypatch) -> None:
    from bookdesk.ui import single_instance

    starting = InstanceServer(name)  # holds the library, builds its window, listens only then
    book = tmp_path / "Book.epub"
    tries: list[bool] = []
    knock = single_instance.hand_over

    def counted(*args) -> bool:  # noqa: ANN002
        tries.append(knock(*args))
        return tries[-1]

    monkeypatch.setattr(single_instance, "hand_over", counted)
    with qtbot.waitSignal(starting.handed_over, timeout=30_000) as arrived:
        client = InThread(hand_over_once_listening, tmp_path / "Library", [book], 60.0)
        qtbot.waitUntil(lambda: False in tries, timeout=30_000)  # it knocked while the window was being built
        assert starting.listen()
    qtbot.waitUntil(client.finished, timeout=30_000)
    starting.close()
    assert client.result is True and arrived.args == [HandOver([book])]


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave nothing behind when a process dies")
def test_the_name_left_by_a_crashed_bookdesk_is_taken_over(qapp, name) -> None:
    path = name if os.path.isabs(name) else os.path.join(QDir.tempPath(), name)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(path)  # a socket file nobody listens on, as a killed process leaves it
    stale.close()
    assert os.path.exists(path)

    server = InstanceServer(name)
    try:
        assert server.listen()
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        probe.connect(path)  # alive again
        probe.close()
    finally:
        server.close()


# ----- the Finder's way, and the window coming forward ------------------------------------------


def test_files_opened_from_the_finder_together_become_one_hand_over(qtbot, qapp, tmp_path) -> None:
    opener = FileOpenFilter()
    qapp.installEventFilter(opener)
    try:
        with qtbot.waitSignal(opener.handed_over, timeout=10_000) as arrived:
            QApplication.sendEvent(qapp, QFileOpenEvent(str(tmp_path / "One.epub")))
            QApplication.sendEvent(qapp, QFileOpenEvent(str(tmp_path / "Two.m4b")))
    finally:
        qapp.removeEventFilter(opener)
    assert arrived.args == [HandOver([tmp_path / "One.epub", tmp_path / "Two.m4b"], activate=True)]


@pytest.mark.parametrize("put_away", ["minimized", "hidden"])
def test_the_window_comes_back_from_the_taskbar_or_the_tray(qtbot, put_away: str) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    if put_away == "minimized":
        window.showMinimized()
    else:
        window.hide()

    bring_forward(window)

    qtbot.waitUntil(lambda: window.isVisible() and not window.isMinimized())


# ----- two real BookDesk processes --------------------------------------------------------------


@pytest.fixture
def desktop_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of a user session of this test's own: home, XDG folders, no display."""
    home = tmp_path / "home"
    for variable, folder in (("HOME", home), ("XDG_CONFIG_HOME", home / ".config"),
                             ("XDG_DATA_HOME", home / ".local/share"), ("XDG_CACHE_HOME", home / ".cache"),
                             ("XDG_STATE_HOME", home / ".local/state"), ("BOOKDESK_CACHE_DIR", home / "cache")):
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(variable, str(folder))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)  # both processes and this one agree on the name
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return dict(os.environ, PYTHONIOENCODING="utf-8")


def bookdesk(*args: object) -> list[str]:
    return [sys.executable, "-m", "bookdesk", *map(str, args)]


@pytest.fixture
def running_bookdesk(desktop_session: dict[str, str], tmp_path: Path):  # noqa: ANN201
    """``start(library, *files)``: a BookDesk window in a process of its own, once it listens."""
    started: list[tuple[subprocess.Popen, Path]] = []

    def start(library: Path, *files: Path) -> subprocess.Popen:
        output = (tmp_path / f"bookdesk-{len(started)}.out").open("w")
        process = subprocess.Popen(bookdesk("--library", library, *files), stdout=output,
                                   stderr=subprocess.STDOUT, env=desktop_session, cwd=tmp_path)
        output.close()
        started.append((process, library))
        wait_for(lambda: instance_running(library) or process.poll() is not None, "BookDesk to listen")
        assert process.poll() is None, (tmp_path / f"bookdesk-{len(started) - 1}.out").read_text()
        return process

    yield start
    for process, library in started:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=60)
        QLocalServer.removeServer(server_name(library))  # a terminated process leaves its socket file


def wait_for(condition, what: str, timeout: float = 90.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def previews(library: Path) -> list[str]:
    """Titles of the import previews the running BookDesk has made, read beside it."""
    try:
        service = LibraryService.open(library, exclusive=False, create=False)
    except BookDeskError:  # busy for a moment: ask again
        return []
    try:
        return [job.title for job in service.jobs() if job.kind == "import-preview" and job.state == "succeeded"]
    finally:
        service.close()


def test_open_with_bookdesk_reaches_the_running_window(qapp, running_bookdesk, desktop_session, tmp_path) -> None:
    library = tmp_path / "Library"
    first_book = write_epub(tmp_path / "Downloads" / "First Light.epub", simple_metadata("First Light"))
    second_book = write_epub(tmp_path / "Downloads" / "Second Wind.epub", simple_metadata("Second Wind"))

    # Double-clicking a book with no BookDesk running opens the window with a preview of it.
    first = running_bookdesk(library, first_book)
    wait_for(lambda: any("First Light.epub" in title for title in previews(library)), "the first preview")

    # Opening another from the file manager: the running window takes it, the launch leaves at once.
    second = subprocess.run(bookdesk("--library", library, Path("Downloads") / "Second Wind.epub"),
                            capture_output=True, text=True, env=desktop_session, cwd=tmp_path, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "already open" not in second.stderr
    wait_for(lambda: any("Second Wind.epub" in title for title in previews(library)), "the hand-over's preview")

    # Starting BookDesk again from the menu only brings the window forward.
    again = subprocess.run(bookdesk("--library", library), capture_output=True, text=True, env=desktop_session,
                           cwd=tmp_path, timeout=120)
    assert again.returncode == 0, again.stderr
    assert first.poll() is None
    assert len(previews(library)) == 2
    assert second_book.exists() and first_book.exists()  # a preview moves nothing


def test_another_library_opens_its_own_window(qapp, running_bookdesk, tmp_path) -> None:
    running_bookdesk(tmp_path / "Library")
    other = running_bookdesk(tmp_path / "Other Library")
    assert other.poll() is None
    assert instance_running(tmp_path / "Library") and instance_running(tmp_path / "Other Library")
