"""What ``bookdesk serve`` tells an e-reader about its log-in names where the user name and password came
from: given to the command (--opds-user, the password in the environment), not Settings → Sharing."""

from __future__ import annotations

import signal

import httpx
import pytest

from tests.serve.test_serve_command import _free_port, _start
from tests.servers.bookdesk_server import lan_address

LAN = lan_address()
needs_lan = pytest.mark.skipif(LAN is None, reason="this machine has no address on a network")


@needs_lan
def test_the_lock_out_of_a_user_given_on_the_command_line_points_to_the_command(filled_library):
    port = _free_port()
    child = _start(filled_library, port, "--opds-user", "reader", host=LAN, scheme="https",
                   env={"BOOKDESK_SHARING_OPDS_PASSWORD": "shelf of mine"})
    try:
        with httpx.Client(verify=False) as reader:  # noqa: S501 - self-signed, made for this run
            asked = reader.get(f"https://{LAN}:{port}/opds")
            wrong = [reader.get(f"https://{LAN}:{port}/opds", auth=("reader", f"guess {i}")) for i in range(5)]
    finally:
        child.send_signal(signal.SIGTERM)
        child.communicate(timeout=60)
    assert asked.status_code == 401
    assert "given to bookdesk serve" in asked.json()["error"]["message"]
    assert [w.status_code for w in wrong] == [401] * 4 + [429]
    message = wrong[-1].json()["error"]["message"]
    assert "check the user name and password given to bookdesk serve" in message
    assert "Settings → Sharing" not in message
