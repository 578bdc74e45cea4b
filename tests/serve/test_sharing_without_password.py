"""A user name kept in the settings, and no password this run (no keyring after a restart, none in the
environment): the server says that this run lacks the password, not that none is set."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bookdesk.core.settings import Settings
from bookdesk.serve.server import listening_socket
from bookdesk.serve.sharing import SharingServer
from tests.servers.bookdesk_server import lan_address

LAN = lan_address()


def _free_port() -> int:
    sock = listening_socket("127.0.0.1", 0)
    try:
        return sock.getsockname()[1]
    finally:
        sock.close()


def _says_this_run_lacks_it(text: str) -> None:
    assert "This run has no password for the e-readers' user “reader”" in text
    assert "BOOKDESK_SHARING_OPDS_PASSWORD" in text and "type it again in Settings → Sharing" in text
    assert "set a user name" not in text


@pytest.mark.skipif(LAN is None, reason="this machine has no address on a network")
def test_a_user_without_a_password_this_run_is_said_so_by_the_state_and_to_the_network(opened):
    sharing = SharingServer(opened)  # its secrets hold no password: a keyring-less run after a restart
    port = _free_port()
    state = sharing.apply(Settings(sharing_enabled=True, sharing_lan=True, sharing_port=port,
                                   sharing_opds_user="reader"))
    try:
        assert state.on
        _says_this_run_lacks_it(state.said())
        answer = httpx.get(f"https://{LAN}:{port}/opds", verify=False)  # noqa: S501 - made for this run
    finally:
        asyncio.run(sharing.astop())
    assert answer.status_code == 403
    _says_this_run_lacks_it(answer.json()["error"]["message"])


def test_this_machine_alone_has_nothing_to_say_about_the_password(opened):
    sharing = SharingServer(opened)
    state = sharing.apply(Settings(sharing_enabled=True, sharing_port=_free_port(), sharing_opds_user="reader"))
    try:
        assert state.on and state.said() == state.words()  # open to this machine without a log-in
    finally:
        asyncio.run(sharing.astop())
