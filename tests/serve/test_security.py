"""Hostile and greedy clients: rate-limit tiers answered 429 with Retry-After, the lock-out after five
failed log-ins, and the OPDS log-in (open to this machine only; Digest over HTTP; Basic over TLS),
over a real server; time is a fake clock the test moves."""

from __future__ import annotations

import httpx
import pytest

from bookdesk.core.secrets import SHARING_OPDS_PASSWORD, InMemorySecretStore
from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from bookdesk.serve.policy import ServePolicy, Tier
from bookdesk.serve.tls import certificate
from tests.fakes.clock import FakeClock
from tests.serve.conftest import bearer, make_key
from tests.servers.bookdesk_server import lan_address, served

LAN = lan_address()
needs_lan = pytest.mark.skipif(LAN is None, reason="this machine has no address on a network")


def _app(library, clock, **policy):
    ctx = ServeContext(library=library, policy=ServePolicy(**policy),
                       secrets=InMemorySecretStore({SHARING_OPDS_PASSWORD: "open sesame"}))
    return build_app(ctx, clock=clock)


def test_reads_past_the_tier_are_answered_429_with_retry_after(filled_library):
    clock = FakeClock()
    key = make_key(filled_library, "greedy")
    with served(_app(filled_library, clock, reads=Tier(3, 60))) as base:
        answers = [httpx.get(f"{base}/api/v1/books", headers=bearer(key)) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[-1].headers["retry-after"] == "20"
        assert answers[-1].json()["error"]["ref"] == answers[-1].headers["x-request-id"]
        clock.advance(20)
        assert httpx.get(f"{base}/api/v1/books", headers=bearer(key)).status_code == 200


def test_writes_have_a_tier_of_their_own(filled_library):
    clock = FakeClock()
    key = make_key(filled_library, "writer", "write")
    with served(_app(filled_library, clock, writes=Tier(1, 60))) as base:
        first = httpx.post(f"{base}/api/v1/jobs", headers=bearer(key), json={"kind": "sync"})
        second = httpx.post(f"{base}/api/v1/jobs", headers=bearer(key), json={"kind": "sync"})
        assert first.status_code == 503  # no worker in this server: it got past the tier, then refused
        assert second.status_code == 429 and second.headers["retry-after"] == "60"
        assert httpx.get(f"{base}/api/v1/books", headers=bearer(key)).status_code == 200  # reads go on


def test_a_stale_key_from_this_machine_locks_out_that_key_and_not_the_machine(filled_library):
    clock = FakeClock()
    good = make_key(filled_library, "good")
    with served(_app(filled_library, clock, lockout=600)) as base:
        statuses = [httpx.get(f"{base}/api/v1/books", headers=bearer("bdk_stale")).status_code for _ in range(5)]
        assert statuses == [401, 401, 401, 401, 429]
        locked = httpx.get(f"{base}/api/v1/books", headers=bearer("bdk_stale"))
        assert locked.status_code == 429 and locked.headers["retry-after"] == "600"
        message = locked.json()["error"]["message"]
        assert "10 minutes" in message and "Settings → Sharing" in message and "bookdesk keys list" in message
        assert httpx.get(f"{base}/api/v1/books", headers=bearer(good)).status_code == 200
        assert httpx.get(f"{base}/opds").status_code == 200
        assert httpx.get(f"{base}/opds/v2", headers=bearer("bdk_stale")).status_code == 200
        clock.advance(601)
        assert httpx.get(f"{base}/api/v1/books", headers=bearer("bdk_stale")).status_code == 401


@needs_lan
def test_five_failed_logins_from_another_machine_lock_its_credentials_out(filled_library):
    clock = FakeClock()
    good = make_key(filled_library, "good")
    with served(_app(filled_library, clock, lockout=600, opds_user="reader"), host=LAN) as base:
        statuses = [httpx.get(f"{base}/api/v1/books", headers=bearer(f"bdk_guess{i}")).status_code
                    for i in range(5)]
        assert statuses == [401, 401, 401, 401, 429]
        locked = httpx.get(f"{base}/api/v1/books", headers=bearer(good))
        assert locked.status_code == 429 and locked.headers["retry-after"] == "600"
        assert "10 minutes" in locked.json()["error"]["message"]
        opds = httpx.get(f"{base}/opds", auth=httpx.DigestAuth("reader", "open sesame"))
        assert opds.status_code == 429 and "Settings → Sharing" in opds.json()["error"]["message"]
        assert httpx.get(f"{base}/health").status_code == 200  # only log-ins are locked out
        clock.advance(601)
        assert httpx.get(f"{base}/api/v1/books", headers=bearer(good)).status_code == 200


def test_a_request_without_any_key_is_not_a_failed_login(filled_library):
    clock = FakeClock()
    with served(_app(filled_library, clock)) as base:
        assert {httpx.get(f"{base}/api/v1/books").status_code for _ in range(8)} == {401}
        assert httpx.get(f"{base}/api/v1/books", headers=bearer(make_key(filled_library, "k"))).status_code == 200


def test_opds_is_open_to_this_machine_without_a_login(filled_library):
    with served(_app(filled_library, FakeClock())) as base:
        assert httpx.get(f"{base}/opds").status_code == 200


@pytest.mark.parametrize("user", [None, "reader"])
def test_opds_from_this_machine_is_open_whatever_authorization_it_sends(filled_library, user):
    key = make_key(filled_library, "script")
    with served(_app(filled_library, FakeClock(), opds_user=user)) as base:
        assert httpx.get(f"{base}/opds", headers=bearer(key)).status_code == 200
        assert httpx.get(f"{base}/opds/v2", auth=("bob", "pw")).status_code == 200
        assert httpx.get(f"{base}/opds", auth=httpx.DigestAuth("reader", "open sesame")).status_code == 200


@needs_lan
def test_opds_from_the_network_without_a_user_set_is_refused(filled_library):
    with served(_app(filled_library, FakeClock()), host=LAN) as base:
        answer = httpx.get(f"{base}/opds")
    assert answer.status_code == 403 and "Settings → Sharing" in answer.json()["error"]["message"]


@needs_lan
def test_opds_from_the_network_over_http_takes_digest_and_never_basic(filled_library):
    clock = FakeClock()
    with served(_app(filled_library, clock, opds_user="reader"), host=LAN) as base:
        challenge = httpx.get(f"{base}/opds")
        assert challenge.status_code == 401
        offered = challenge.headers.get_list("www-authenticate")
        assert [o.split(",")[0] for o in offered] == ['Digest realm="BookDesk"'] * 2
        assert any("algorithm=SHA-256" in o for o in offered) and any("algorithm=MD5" in o for o in offered)
        assert httpx.get(f"{base}/opds", auth=httpx.DigestAuth("reader", "open sesame")).status_code == 200
        search = httpx.get(f"{base}/opds/v2", params={"x": "1"}, auth=httpx.DigestAuth("reader", "open sesame"))
        assert search.status_code in (200, 400)  # past the log-in: the feed judges its own query
        basic = httpx.get(f"{base}/opds", auth=httpx.BasicAuth("reader", "open sesame"))
        assert basic.status_code == 401  # a password sent in clear is not even looked at
        wrong = [httpx.get(f"{base}/opds", auth=httpx.DigestAuth("reader", f"guess {i}")).status_code
                 for i in range(5)]
        assert wrong[-1] == 429 and set(wrong[:-1]) == {401}


def test_opds_over_tls_takes_basic(filled_library, tmp_path):
    made = certificate(tmp_path / "config")
    app = _app(filled_library, FakeClock(), opds_user="reader")
    with served(app, host=LAN or "127.0.0.1", ssl_certfile=str(made.cert_file),
                ssl_keyfile=str(made.key_file)) as base, \
            httpx.Client(verify=False) as client:  # noqa: S501 - self-signed: the fingerprint is checked below
        assert client.get(f"{base}/opds", auth=("reader", "open sesame")).status_code == 200
        if LAN is not None:
            assert client.get(f"{base}/opds", auth=("reader", "wrong")).status_code == 401
            assert client.get(f"{base}/opds").headers["www-authenticate"].startswith("Basic")


@needs_lan
def test_another_machine_is_paced_by_its_address_whatever_key_it_sends(filled_library):
    clock = FakeClock()
    first, second = make_key(filled_library, "one"), make_key(filled_library, "two")
    with served(_app(filled_library, clock, reads=Tier(2, 60)), host=LAN) as base:
        statuses = [httpx.get(f"{base}/api/v1/books", headers=bearer(k)).status_code for k in (first, second, second)]
        assert statuses == [200, 200, 429]  # two keys, one address: its tier is spent
        assert httpx.get(f"{base}/health").status_code == 429


def test_this_machine_is_paced_by_key_so_one_greedy_script_leaves_another_alone(filled_library):
    clock = FakeClock()
    greedy, calm = make_key(filled_library, "greedy"), make_key(filled_library, "calm")
    with served(_app(filled_library, clock, reads=Tier(2, 60))) as base:
        assert [httpx.get(f"{base}/api/v1/books", headers=bearer(greedy)).status_code for _ in range(3)] \
            == [200, 200, 429]
        assert httpx.get(f"{base}/api/v1/books", headers=bearer(calm)).status_code == 200
        assert {httpx.get(f"{base}/opds").status_code for _ in range(5)} == {200}
