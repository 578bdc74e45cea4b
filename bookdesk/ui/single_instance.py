"""One BookDesk window per library: a second launch hands its files to the first and leaves.

The BookDesk that holds a library's lock listens on a local socket (a Unix socket, or a named
pipe on Windows) whose name comes from the user and the library folder. Listening only once
the lock is held means two launches at the same moment cannot both take the name: the library
lock decides, and the loser hands over to the winner. A later launch for the same library
connects, sends one line of JSON::

    {"paths": ["/home/ann/Downloads/book.epub"], "activate": true}

and waits for ``{"ok": true}``; the first brings its window forward and previews an import
of the paths, as if they had been dropped on it. When no local server can be made, BookDesk
goes on without one: the library lock still keeps a second BookDesk out.

Files opened from the Finder reach a running app as ``QFileOpenEvent`` instead of on the
command line; ``FileOpenFilter`` turns those into the same hand-over.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

ACK = b'{"ok": true}\n'
MAX_MESSAGE_BYTES = 1 << 20  # a few thousand paths; anything larger is not a BookDesk talking
CONNECT_TIMEOUT_MS = 1000
# The running BookDesk answers from its event loop, which may still be building its window
# or be busy for a moment: wait for it rather than fall through to "library already open".
REPLY_TIMEOUT_S = 20.0
_WAIT_STEP_MS = 50
# How long a launch that finds the library locked looks for a BookDesk starting up on it
# (one started a moment earlier listens only once it holds the library).
STARTING_GRACE_S = 10.0
# Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux).
_MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class HandOver:
    """What a later launch asks of the running BookDesk."""

    paths: list[Path] = field(default_factory=list)
    activate: bool = True


def encode_request(paths: Sequence[Path], activate: bool = True) -> bytes:
    """The message a later launch sends: one line of JSON with absolute paths."""
    absolute = [os.path.abspath(p) for p in paths]  # the receiver has its own working folder
    return json.dumps({"paths": absolute, "activate": activate}).encode("utf-8") + b"\n"


def decode_request(data: bytes) -> HandOver:
    """Read one request; ValueError when it is not one a BookDesk would send."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise ValueError("message too long")
    try:
        message = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(message, dict):
        raise ValueError("not a JSON object")
    paths = message.get("paths", [])
    activate = message.get("activate", True)
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ValueError("paths must be a list of strings")
    if not isinstance(activate, bool):
        raise ValueError("activate must be true or false")
    if not all(os.path.isabs(p) for p in paths):
        raise ValueError("paths must be absolute")  # relative to what? the sender's folder is unknown here
    return HandOver([Path(p) for p in paths], activate)


def is_ack(data: bytes) -> bool:
    try:
        return json.loads(data.decode("utf-8")) == {"ok": True}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False


# ----- the name both sides agree on ----------------------------------------------------------


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment or the password database
        return str(Path.home())


def _library_key(library: Path) -> str:
    resolved = str(Path(library).expanduser().resolve())
    # Windows and (by default) macOS file systems ignore case: C:\Books and c:\books are one library.
    return resolved.lower() if sys.platform in ("win32", "darwin") else resolved


def server_name(library: Path, user: str | None = None) -> str:
    """The local socket name for ``library`` and ``user``: short, and valid for a named pipe
    on Windows and a socket file elsewhere.

    On Linux it lies in ``$XDG_RUNTIME_DIR`` when there is one: that folder belongs to the
    user alone, so nobody else can take the name first and receive the files.
    """
    digest = hashlib.sha256(f"{user or _user()}\0{_library_key(library)}".encode()).hexdigest()[:20]
    name = f"bookdesk-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if sys.platform.startswith("linux") and os.path.isabs(runtime) and os.path.isdir(runtime):
        in_runtime = os.path.join(runtime, name)
        if len(os.fsencode(in_runtime)) <= _MAX_SOCKET_PATH:
            return in_runtime
    return name  # Qt puts it in the temporary folder (per user on macOS) or the pipe namespace


# ----- the later launch --------------------------------------------------------------------


def _connect(name: str, timeout_ms: int = CONNECT_TIMEOUT_MS) -> QLocalSocket | None:
    socket = QLocalSocket()
    socket.connectToServer(name)
    if socket.waitForConnected(timeout_ms):
        return socket
    socket.abort()
    return None


def instance_running(library: Path) -> bool:
    """Whether a BookDesk is listening for ``library`` now."""
    socket = _connect(server_name(library))
    if socket is None:
        return False
    socket.disconnectFromServer()  # the server takes a silent visit for what it is
    return True


def _allow_foreground_window() -> None:
    """Windows lets only the foreground process raise a window: pass that right on."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY


def send_request(name: str, request: bytes, reply_timeout_s: float = REPLY_TIMEOUT_S) -> bool:
    """Send ``request`` to the BookDesk listening on ``name``; True once it acknowledged it."""
    socket = _connect(name)
    if socket is None:
        return False
    try:
        _allow_foreground_window()
        socket.write(request)
        socket.flush()
        deadline = time.monotonic() + reply_timeout_s
        reply = b""
        while b"\n" not in reply:
            if not socket.bytesAvailable():
                connected = socket.state() == QLocalSocket.LocalSocketState.ConnectedState
                if not connected or time.monotonic() > deadline:
                    log.warning("the BookDesk listening on %s did not answer", name)
                    return False
                # Short steps let other Python threads run in between: the wait holds the GIL.
                socket.waitForReadyRead(_WAIT_STEP_MS)
            reply += bytes(socket.readAll().data())
            if len(reply) > MAX_MESSAGE_BYTES:
                return False
        return is_ack(reply.split(b"\n", 1)[0])
    finally:
        socket.abort()


def hand_over(library: Path, paths: Sequence[Path], activate: bool = True) -> bool:
    """Give ``paths`` to the BookDesk that has ``library`` open; False when there is none to take them."""
    return send_request(server_name(library), encode_request(paths, activate))


def hand_over_once_listening(library: Path, paths: Sequence[Path], grace_s: float = STARTING_GRACE_S) -> bool:
    """``hand_over``, trying for ``grace_s``: for a launch that found the library locked by a
    BookDesk that is still opening its window and does not listen yet."""
    deadline = time.monotonic() + grace_s
    while True:
        if hand_over(library, paths):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)


# ----- the running BookDesk ----------------------------------------------------------------


class InstanceServer(QObject):
    """Listens for later launches and emits what each asks for."""

    handed_over = Signal(object)  # HandOver

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        # Only this user may connect (the socket file's mode; the pipe's access list on Windows).
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; False when another BookDesk answers on the name or no server can be made.

        Call it while holding the library lock: then a socket under the name that nobody answers
        on was left by a BookDesk that crashed, and is cleared.
        """
        probe = _connect(self.name)
        if probe is not None:
            probe.abort()
            return False
        # Qt's listen with access options replaces a socket file of the same name rather than
        # fail, so the name is freed here, knowingly, only after nobody answered on it.
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return True
        log.warning("cannot listen for other BookDesk launches on %s: %s", self.name, self._server.errorString())
        return False

    def is_listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()
        for socket in self._live_sockets():
            socket.abort()
        self._buffers.clear()

    def _live_sockets(self) -> list[QLocalSocket]:
        # A connection that ended without a whole message has deleted its socket by now.
        return [s for s in self._buffers if shiboken6.isValid(s)
                and s.state() == QLocalSocket.LocalSocketState.ConnectedState]

    def _accept(self) -> None:
        self._buffers = {s: self._buffers[s] for s in self._live_sockets()}
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(self._read_ready)
            # Qt's own slot, not Python's: it must run even while the server itself is being destroyed.
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read_ready(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE_BYTES:
                log.warning("dropped an over-long message from another process")
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        del self._buffers[socket]  # one request per connection
        line = data.split(b"\n", 1)[0]
        try:
            request = decode_request(line)
        except ValueError as exc:
            log.warning("ignored a message that is not a BookDesk hand-over: %s", exc)
            socket.abort()
            return
        socket.write(ACK)
        socket.flush()  # now: what the window does next may keep the event loop busy for a while
        socket.disconnectFromServer()  # once the acknowledgement has gone out
        log.info("another launch of BookDesk handed over %d item(s)", len(request.paths))
        self.handed_over.emit(request)


class FileOpenFilter(QObject):
    """Files opened from the Finder (macOS) arrive as QFileOpenEvent, one per file: gather
    those that come together into one hand-over, so a selection gives one import preview."""

    handed_over = Signal(object)  # HandOver
    GATHER_MS = 150

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paths: list[Path] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.GATHER_MS)
        self._timer.timeout.connect(self._flush)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file() or event.url().toLocalFile()
            if path:
                self._paths.append(Path(path))
                self._timer.start()
                return True
        return super().eventFilter(watched, event)

    def _flush(self) -> None:
        paths, self._paths = self._paths, []
        if paths:
            self.handed_over.emit(HandOver(paths, activate=True))


def bring_forward(window: QWidget) -> None:
    """Show the window on top: out of the Dock or taskbar if minimized, out of the tray if hidden."""
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()
