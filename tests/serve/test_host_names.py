"""The Host a request names must be one of this server's own names: a web page that rebinds its own
name to 127.0.0.1 (DNS rebinding) would otherwise read the open local OPDS catalog through the browser.
Over a real server on 127.0.0.1 (and on this machine's network address where it has one)."""

from __future__ import annotations

import httpx
import pytest

from bookdesk.serve.addresses import lan_names
from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from bookdesk.serve.policy import ServePolicy
from bookdesk.serve.tls import certificate
from tests.servers.bookdesk_server import lan_address, served

LAN = lan_address()


def _port(base: str) -> str:
    return base.rsplit(":", 1)[1]


@pytest.mark.parametrize("address", ["/opds", "/opds/v2", "/api/v1/books", "/health"])
def test_a_foreign_host_is_refused_with_json_and_its_ref(filled_library, address):
    with served(build_app(ServeContext(library=filled_library))) as base:
        answer = httpx.get(base + address, headers={"Host": "evil.example:1"})
    assert answer.status_code == 421
    problem = answer.json()["error"]
    assert problem["ref"] == answer.headers["x-request-id"] and "evil.example" in problem["message"]
    assert "evil.example" not in answer.headers.get("location", "")


def test_this_machines_own_names_are_answered(filled_library):
    with served(build_app(ServeContext(library=filled_library))) as base:
        port = _port(base)
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST.:{port}", f"[::1]:{port}", "localhost"):
            answer = httpx.get(base + "/opds", headers={"Host": host})
            assert answer.status_code == 200, host
        assert httpx.get(base + "/opds", headers={"Host": f"{LAN or '192.0.2.1'}:{port}"}).status_code == 421


@pytest.mark.skipif(LAN is None, reason="this machine has no address on a network")
def test_on_the_network_its_addresses_and_names_are_answered(filled_library):
    policy = ServePolicy(host_names=("bookshelf", "bookshelf.local"))
    with served(build_app(ServeContext(library=filled_library, policy=policy)), host=LAN) as base:
        port = _port(base)
        for host in (f"{LAN}:{port}", f"bookshelf:{port}", f"BookShelf.local:{port}"):
            assert httpx.get(base + "/health", headers={"Host": host}).status_code == 200, host
        assert httpx.get(base + "/health", headers={"Host": f"evil.example:{port}"}).status_code == 421


def test_the_names_allowed_on_the_network_are_the_machines_and_the_certificates(tmp_path):
    import socket

    made = certificate(tmp_path)
    names = lan_names(made)
    host = socket.gethostname().lower()
    assert host in names and f"{host}.local" in names
    assert all(n == n.lower() for n in names)
    if LAN is not None:
        assert LAN in names
