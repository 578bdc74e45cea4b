"""Real download clients for the tests: qbittorrent-nox and transmission-daemon on 127.0.0.1.

Each runs from a throwaway profile written before it starts: a known user name and password,
no DHT, local peer discovery, peer exchange, UPnP or NAT-PMP, listening on loopback only, on
free ports. ``start_*`` returns once the daemon answers; ``Daemon.stop`` ends it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.servers.ports import free_port
from tests.servers.processes import stop_process

USERNAME = "bookdesk"
PASSWORD = "shelf-of-books-7"
START_TIMEOUT = 60.0




@dataclass
class Daemon:
    kind: str  # qbittorrent | transmission
    url: str
    root: Path
    process: subprocess.Popen
    username: str = USERNAME
    password: str = PASSWORD

    def log(self) -> str:
        path = self.root / "daemon.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        stop_process(self.process)


def installed(kind: str) -> bool:
    return shutil.which({"qbittorrent": "qbittorrent-nox", "transmission": "transmission-daemon"}[kind]) is not None


def _wait(daemon: Daemon, answered: callable) -> Daemon:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if daemon.process.poll() is not None:
            raise RuntimeError(f"{daemon.kind} exited with {daemon.process.returncode}:\n{daemon.log()}")
        try:
            if answered(httpx.get(daemon.url if daemon.kind == "qbittorrent" else daemon.url + "/transmission/rpc",
                                  timeout=2.0)):
                return daemon
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    daemon.stop()
    raise RuntimeError(f"{daemon.kind} did not answer within {START_TIMEOUT:.0f} s:\n{daemon.log()}")


def _launch(args: list[str], root: Path) -> subprocess.Popen:
    log = (root / "daemon.log").open("wb")
    env = {**os.environ, "HOME": str(root / "home"), "XDG_CONFIG_HOME": str(root / "home" / ".config"),
           "XDG_DATA_HOME": str(root / "home" / ".local" / "share"), "QT_QPA_PLATFORM": "offscreen"}
    (root / "home").mkdir(parents=True, exist_ok=True)
    try:
        return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                start_new_session=True)
    finally:
        log.close()


def qbittorrent_password_hash(password: str, salt: bytes | None = None) -> str:
    """qBittorrent's WebUI password format: PBKDF2-HMAC-SHA512, 100,000 rounds, salt and key in base64."""
    salt = salt or os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, 64)
    return f"@ByteArray({base64.b64encode(salt).decode()}:{base64.b64encode(key).decode()})"


def start_qbittorrent(root: Path) -> Daemon:
    web_port, peer_port = free_port(), free_port()
    config = root / "qBittorrent" / "config"
    config.mkdir(parents=True, exist_ok=True)
    downloads = root / "downloads"
    downloads.mkdir(exist_ok=True)
    (config / "qBittorrent.conf").write_text("\n".join([
        "[LegalNotice]", "Accepted=true", "",
        "[BitTorrent]",
        "Session\\DHTEnabled=false", "Session\\LSDEnabled=false", "Session\\PeXEnabled=false",
        f"Session\\Port={peer_port}", "Session\\Interface=lo", "Session\\InterfaceName=lo",
        "Session\\InterfaceAddress=127.0.0.1", f"Session\\DefaultSavePath={downloads}",
        "Session\\AnonymousModeEnabled=true", "",
        "[Preferences]",
        "Connection\\UPnP=false", "General\\Locale=en", "WebUI\\Address=127.0.0.1", f"WebUI\\Port={web_port}",
        f"WebUI\\Username={USERNAME}", f'WebUI\\Password_PBKDF2="{qbittorrent_password_hash(PASSWORD)}"',
        "WebUI\\LocalHostAuth=true",
        # The wrong-password tests must not get the test machine's address banned.
        "WebUI\\MaxAuthenticationFailCount=1000", "WebUI\\HostHeaderValidation=false",
        "WebUI\\CSRFProtection=false", "WebUI\\UseUPnP=false", "",
    ]), encoding="utf-8")
    process = _launch(["qbittorrent-nox", f"--profile={root}", f"--webui-port={web_port}"], root)
    daemon = Daemon("qbittorrent", f"http://127.0.0.1:{web_port}", root, process)
    return _wait(daemon, lambda r: r.status_code in (200, 401, 403, 404))


def start_transmission(root: Path) -> Daemon:
    rpc_port, peer_port = free_port(), free_port()
    config = root / "config"
    config.mkdir(parents=True, exist_ok=True)
    downloads = root / "downloads"
    downloads.mkdir(exist_ok=True)
    (config / "settings.json").write_text(json.dumps({
        "rpc-enabled": True, "rpc-authentication-required": True, "rpc-username": USERNAME, "rpc-password": PASSWORD,
        "rpc-bind-address": "127.0.0.1", "rpc-port": rpc_port, "rpc-whitelist-enabled": True,
        "rpc-whitelist": "127.0.0.1", "rpc-host-whitelist-enabled": False,
        "peer-port": peer_port, "peer-port-random-on-start": False, "bind-address-ipv4": "127.0.0.1",
        "bind-address-ipv6": "::1", "dht-enabled": False, "lpd-enabled": False, "pex-enabled": False,
        "utp-enabled": False, "port-forwarding-enabled": False, "download-dir": str(downloads),
        "incomplete-dir-enabled": False, "start-added-torrents": True, "message-level": 1,
    }, indent=1), encoding="utf-8")
    process = _launch(["transmission-daemon", "-f", "--config-dir", str(config), "--port", str(rpc_port),
                       "--rpc-bind-address", "127.0.0.1", "-a", "127.0.0.1"], root)
    daemon = Daemon("transmission", f"http://127.0.0.1:{rpc_port}", root, process)
    return _wait(daemon, lambda r: r.status_code in (401, 409))


# ----- fixtures ------------------------------------------------------------------------------
# Imported by the conftest or test modules that need them; each is registered under its ``name``.


def _daemon(kind: str, start, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN202
    if not installed(kind):
        pytest.skip(f"{kind} is not installed here")
    daemon = start(tmp_path_factory.mktemp(kind))
    yield daemon
    daemon.stop()


@pytest.fixture(scope="session", name="qbittorrent_daemon")
def qbittorrent_daemon_fixture(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """One qbittorrent-nox per test process, started on first use."""
    yield from _daemon("qbittorrent", start_qbittorrent, tmp_path_factory)


@pytest.fixture(scope="session", name="transmission_daemon")
def transmission_daemon_fixture(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """One transmission-daemon per test process, started on first use."""
    yield from _daemon("transmission", start_transmission, tmp_path_factory)
