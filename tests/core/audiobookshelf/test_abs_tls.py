"""A server behind HTTPS with a certificate this computer does not trust (self-signed, as on many NAS
boxes): said as that, not as a server that cannot be reached, and nothing is sent to it."""

from __future__ import annotations

import asyncio
import http.server
import shutil
import ssl
import subprocess
import threading

import pytest

from bookdesk.core.audiobookshelf.client import AbsError, AbsUnreachable, check_server
from bookdesk.core.audiobookshelf.config import servers


class _Status(http.server.BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        type(self).asked.append(self.path)
        body = b'{"app": "audiobookshelf", "serverVersion": "2.36.0", "isInit": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # noqa: ANN002 - quiet
        pass


@pytest.fixture
def self_signed_server(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Status)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Status.asked = []
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_certificate_this_computer_does_not_trust_is_said_as_such(self_signed_server):
    config = servers([{"name": "NAS", "url": self_signed_server}])[0]

    with pytest.raises(AbsError) as refused:
        asyncio.run(check_server(config, "a-key"))

    assert not isinstance(refused.value, AbsUnreachable)  # trying again will not help
    assert refused.value.message.startswith("Audiobookshelf server NAS at https://127.0.0.1:")
    assert "certificate this computer does not trust" in refused.value.message
    assert _Status.asked == []  # the request never went through
