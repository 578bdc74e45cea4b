"""With the local network allowed everything is HTTPS, this computer included: the state, the start line
and ``serve --help`` say https://127.0.0.1:PORT, and that address answers; none promises plain http."""

from __future__ import annotations

import asyncio
import signal

import httpx
import pytest

from bookdesk.core.settings import Settings
from bookdesk.serve.sharing import SharingServer
from tests.serve.test_serve_command import _free_port, _start


def test_the_window_shares_with_this_computer_over_https_when_the_network_is_allowed(opened):
    sharing = SharingServer(opened)
    port = _free_port()
    state = sharing.apply(Settings(sharing_enabled=True, sharing_lan=True, sharing_port=port))
    try:
        assert state.on and f"https://127.0.0.1:{port}" in state.urls
        assert httpx.get(f"https://127.0.0.1:{port}/opds", verify=False).status_code == 200  # noqa: S501
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/opds", timeout=5)  # so no http address is shown for it
    finally:
        asyncio.run(sharing.astop())


def test_serve_past_this_machine_names_https_on_this_computer_and_it_answers(filled_library):
    port = _free_port()
    child = _start(filled_library, port, host="0.0.0.0", scheme="https")  # noqa: S104 - the point of the test
    try:
        answer = httpx.get(f"https://127.0.0.1:{port}/opds", verify=False)  # noqa: S501 - made for this run
    finally:
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
    assert answer.status_code == 200
    first = err.splitlines()[0]
    assert f"https://127.0.0.1:{port}" in first and "http://127.0.0.1" not in first


def test_serve_help_says_this_computer_too_uses_https_past_it(run_cli):
    helped = run_cli("serve", "--help").stdout
    flat = " ".join(helped.split())
    assert "HTTPS on this machine too (always past it)" not in flat
    assert "this computer too uses https://127.0.0.1:PORT" in flat
