"""``bookdesk serve``: a real process serving until SIGINT or SIGTERM, one log line per request with its
id, and exit 2 with the reason when the port is taken."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from bookdesk import correlation
from bookdesk.serve.server import listening_socket
from tests.conftest import REPO
from tests.servers.bookdesk_server import lan_address


def _free_port() -> int:
    sock = listening_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()
    return port


def _start(library, port: int, *options: str, host: str = "127.0.0.1", scheme: str = "http",
           env: dict[str, str] | None = None) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-m", "bookdesk", "serve", "--library", str(library),
                              "--port", str(port), "--host", host, *options], cwd=REPO, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert child.poll() is None, child.stderr.read()
        try:
            if httpx.get(f"{scheme}://{host}:{port}/health", verify=False).status_code == 200:  # noqa: S501
                return child
        except httpx.TransportError:
            time.sleep(0.1)
    child.kill()
    raise AssertionError("bookdesk serve did not answer")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_logs_each_request_with_its_id_and_stops_cleanly(filled_library, stop):
    port = _free_port()
    child = _start(filled_library, port)
    try:
        answer = httpx.get(f"http://127.0.0.1:{port}/no/such/page")
        ref = answer.headers["x-request-id"]
        assert correlation.is_valid(ref)
        assert answer.status_code == 404 and answer.json()["error"]["ref"] == ref
    finally:
        child.send_signal(stop)
        _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    [line] = [x for x in err.splitlines() if ref in x]
    assert "GET /no/such/page 404" in line
    assert "Stopped." in err


def test_a_port_in_use_exits_2_and_says_so(filled_library, run_cli):
    taken = listening_socket("127.0.0.1", 0)
    try:
        port = taken.getsockname()[1]
        done = run_cli("serve", "--library", filled_library, "--port", port)
    finally:
        taken.close()
    assert done.returncode == 2
    assert f"Port {port} on 127.0.0.1 is in use" in done.stderr


def test_serving_a_folder_without_a_library_says_so_and_makes_none(tmp_path, run_cli):
    done = run_cli("serve", "--library", tmp_path / "Nowhere", "--port", _free_port())
    assert done.returncode == 1
    assert "There is no BookDesk library" in done.stderr
    assert not (tmp_path / "Nowhere").exists()


@pytest.mark.skipif(lan_address() is None, reason="this machine has no address on a network")
def test_served_to_the_network_it_is_https_with_the_fingerprint_said_and_an_e_reader_logs_in(filled_library):
    port, host = _free_port(), lan_address()
    child = _start(filled_library, port, "--opds-user", "kobo", host=host, scheme="https",
                   env={"BOOKDESK_SHARING_OPDS_PASSWORD": "shelf of mine"})
    try:
        with httpx.Client(verify=False) as reader:  # noqa: S501 - self-signed: the fingerprint below is the check
            assert reader.get(f"https://{host}:{port}/opds").status_code == 401
            assert reader.get(f"https://{host}:{port}/opds", auth=("kobo", "shelf of mine")).status_code == 200
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://{host}:{port}/opds", timeout=5)  # no plain HTTP past this machine
    finally:
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert f"https://{host}:{port}" in err
    [said] = [line for line in err.splitlines() if line.startswith("Certificate SHA-256 fingerprint: ")]
    assert len(said.rsplit(" ", 1)[1].split(":")) == 32
    assert "shelf of mine" not in err


def test_a_window_refused_the_library_is_told_bookdesk_serve_holds_it(filled_library):
    from bookdesk.data.library_lock import LibraryLock
    from bookdesk.errors import LibraryLockedError

    port = _free_port()
    child = _start(filled_library, port)
    try:
        with pytest.raises(LibraryLockedError) as refused:
            LibraryLock(filled_library).acquire()
    finally:
        child.send_signal(signal.SIGTERM)
        child.communicate(timeout=60)
    message = refused.value.message
    assert f"served by bookdesk serve (process {child.pid})" in message
    assert "Settings → Sharing" in message and "use that window" not in message


def test_listening_past_this_machine_against_the_settings_is_said_in_the_first_line(filled_library):
    port = _free_port()
    child = _start(filled_library, port, host="0.0.0.0", scheme="https")  # noqa: S104 - the point of the test
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    first = err.splitlines()[0]
    assert first.startswith("Serving ") and f":{port}" in first
    assert "--host 0.0.0.0" in first and "Settings → Sharing" in first
