"""A real Audiobookshelf server behind HTTPS with a self-signed certificate (tests/servers/tls_proxy.py):
refused with the certificate's fingerprint until the person accepts it, then every connection pins it, and
a different certificate is refused before anything (a key) is sent."""

from __future__ import annotations

import asyncio

import pytest

from bookdesk.core.audiobookshelf.client import AbsError, AbsUntrustedCertificate, check_server
from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.net.tls_pin import normalized
from bookdesk.errors import UsageError
from tests.servers.audiobookshelf import abs_server  # noqa: F401 - the session fixture
from tests.servers.tls_proxy import self_signed, tls_proxy


def _check(url: str, key: str, fingerprint: str = ""):  # noqa: ANN202
    config = servers([{"name": "NAS", "url": url, "tls_fingerprint": fingerprint}])[0]
    return asyncio.run(check_server(config, key))


def test_an_untrusted_certificate_is_refused_with_its_fingerprint_and_nothing_is_sent(
        abs_server, tmp_path):  # noqa: F811
    with tls_proxy(abs_server.url, tmp_path) as (proxy, fingerprint):
        with pytest.raises(AbsUntrustedCertificate) as refused:
            _check(proxy.url, abs_server.api_key)

        assert refused.value.fingerprint == fingerprint
        assert f"Its SHA-256 fingerprint is {fingerprint}." in refused.value.message
        assert f"bookdesk abs add NAS {proxy.url} --trust-fingerprint {fingerprint}" in refused.value.message
        assert proxy.forwarded == 0


def test_an_accepted_fingerprint_lets_the_server_answer(abs_server, tmp_path):  # noqa: F811
    with tls_proxy(abs_server.url, tmp_path) as (proxy, fingerprint):
        status, _ = _check(proxy.url, abs_server.api_key, fingerprint.replace(":", "").lower())

        assert status.version == "2.36.0"
        assert proxy.forwarded > 0


def test_a_different_certificate_from_the_accepted_one_is_refused_before_anything_is_sent(
        abs_server, tmp_path):  # noqa: F811
    _, _, accepted = self_signed(tmp_path, "the-one-accepted")
    with tls_proxy(abs_server.url, tmp_path) as (proxy, shown):
        with pytest.raises(AbsError) as refused:
            _check(proxy.url, abs_server.api_key, accepted)

        assert not isinstance(refused.value, AbsUntrustedCertificate)
        assert refused.value.message.startswith(
            f"Audiobookshelf server NAS at {proxy.url} showed a certificate other than the one you accepted "
            f"(its SHA-256 fingerprint is {shown}, the accepted one {accepted})")
        assert proxy.forwarded == 0


@pytest.mark.parametrize("typed", ["ab:cd", "SHA256:" + "Z" * 64, ""])
def test_a_fingerprint_that_is_not_a_sha256_is_refused(typed):
    with pytest.raises(UsageError):
        normalized(typed)


def test_the_command_it_gives_keeps_the_servers_user_and_libraries(abs_server, tmp_path):  # noqa: F811
    with tls_proxy(abs_server.url, tmp_path) as (proxy, fingerprint):
        config = servers([{"name": "NAS", "url": proxy.url, "username": "ann", "libraries": ["Audio Books"]}])[0]
        with pytest.raises(AbsUntrustedCertificate) as refused:
            asyncio.run(check_server(config, "a password"))

    assert (f"bookdesk abs add NAS {proxy.url} --user ann --abs-library 'Audio Books' --trust-fingerprint "
            f"{fingerprint}.") in refused.value.message
