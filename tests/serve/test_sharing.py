"""Sharing from the window: the server runs on the library's worker while the settings say so, restarts
when they change, says why when it cannot start, and stops."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest

from bookdesk.core.settings import Settings
from bookdesk.serve.server import listening_socket
from bookdesk.serve.sharing import SharingServer
from tests.servers.bookdesk_server import lan_address


def _free_port() -> int:
    sock = listening_socket("127.0.0.1", 0)
    try:
        return sock.getsockname()[1]
    finally:
        sock.close()


def test_sharing_is_off_by_default():
    assert Settings().sharing_enabled is False and Settings().sharing_lan is False


def test_on_this_machine_it_serves_until_stopped(opened):
    sharing = SharingServer(opened)
    assert sharing.apply(Settings()).on is False
    port = _free_port()
    state = sharing.apply(Settings(sharing_enabled=True, sharing_port=port))
    assert state.on and state.urls == (f"http://127.0.0.1:{port}",) and state.fingerprint == ""
    assert httpx.get(f"http://127.0.0.1:{port}/health").json() == {"status": "ok"}
    assert httpx.get(f"http://127.0.0.1:{port}/health/ready").json()["checks"]["worker_alive"]["ok"]
    assert sharing.apply(Settings(sharing_enabled=True, sharing_port=port)) is state  # unchanged: kept
    assert sharing.needs_stop(Settings(sharing_enabled=False))
    asyncio.run(sharing.astop())
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/health")
    assert "off" in sharing.state.words()


def test_a_port_in_use_is_said_and_nothing_runs(opened):
    taken = listening_socket("127.0.0.1", 0)
    try:
        port = taken.getsockname()[1]
        state = SharingServer(opened).apply(Settings(sharing_enabled=True, sharing_port=port))
    finally:
        taken.close()
    assert not state.on and f"Port {port}" in state.problem and "in use" in state.words()


@pytest.mark.skipif(lan_address() is None, reason="this machine has no address on a network")
def test_the_local_network_is_served_over_tls_with_the_fingerprint_shown(opened):
    sharing = SharingServer(opened)
    port = _free_port()
    settings = Settings(sharing_enabled=True, sharing_lan=True, sharing_port=port)
    state = sharing.apply(settings)
    try:
        assert state.on and f"https://{lan_address()}:{port}" in state.urls
        assert len(state.fingerprint.split(":")) == 32
        answer = httpx.get(f"https://{lan_address()}:{port}/health", verify=False)  # noqa: S501
        assert answer.status_code == 200
        assert sharing.needs_stop(replace(settings, sharing_lan=False))  # a change of choice restarts it
    finally:
        asyncio.run(sharing.astop())
