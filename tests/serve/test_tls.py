"""TLS for the local network: a self-signed certificate made on first use and kept, its fingerprint the
one the server presents; the person's own certificate used as given."""

from __future__ import annotations

import ssl
import stat
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from bookdesk.errors import UsageError
from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from bookdesk.serve.tls import certificate
from tests.servers.bookdesk_server import served


def _presented(base: str) -> str:
    parts = urlsplit(base)
    pem = ssl.get_server_certificate((parts.hostname, parts.port))
    return x509.load_pem_x509_certificate(pem.encode()).fingerprint(hashes.SHA256()).hex(":").upper()


def test_a_certificate_is_made_once_kept_private_and_is_what_the_server_presents(tmp_path, filled_library):
    first = certificate(tmp_path / "config")
    again = certificate(tmp_path / "config")
    assert first == again and first.made_here
    assert len(first.fingerprint.split(":")) == 32
    assert stat.S_IMODE(first.key_file.stat().st_mode) == 0o600
    assert not [p for p in (tmp_path / "config").iterdir() if p.name.endswith(".part")]
    with served(build_app(ServeContext(library=filled_library)), ssl_certfile=str(first.cert_file),
                ssl_keyfile=str(first.key_file)) as base:
        assert base.startswith("https://")
        assert _presented(base) == first.fingerprint
        assert httpx.get(f"{base}/health", verify=False).json() == {"status": "ok"}  # noqa: S501
        with pytest.raises(httpx.ConnectError):  # self-signed: a client checking it refuses, as it should
            httpx.get(f"{base}/health")
        assert httpx.get(f"{base}/health", verify=ssl.create_default_context(cafile=first.cert_file)
                         ).status_code == 200


def test_your_own_certificate_is_used_as_given(tmp_path):
    own = certificate(tmp_path / "elsewhere")
    used = certificate(tmp_path / "config", str(own.cert_file), str(own.key_file))
    assert used.fingerprint == own.fingerprint and not used.made_here
    assert not (tmp_path / "config").exists()
    with pytest.raises(UsageError, match="both"):
        certificate(tmp_path / "config", str(own.cert_file), "")
    (tmp_path / "junk.pem").write_text("not a certificate")
    with pytest.raises(UsageError, match="cannot be read"):
        certificate(tmp_path / "config", str(tmp_path / "junk.pem"), str(own.key_file))
