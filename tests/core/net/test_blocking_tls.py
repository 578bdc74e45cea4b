"""The blocking client (downloads) verifies TLS as ever, but makes its verified context, the certificate
authorities read from disk, only when a request first goes to an https:// address: a fetch of an http://
address (``bookdesk fetch`` of a file on the local network) never pays for it (bench/cli_start.py)."""

from __future__ import annotations

import ssl
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from bookdesk.core.net.factory import USER_AGENT, make_blocking_http
from tests.servers.http_harness import LocalHttpServer
from tests.servers.tls_proxy import tls_proxy


def answer(request: BaseHTTPRequestHandler) -> None:
    body = request.headers.get("User-Agent", "").encode()
    request.send_response(200)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def test_https_is_verified_and_its_context_made_only_when_first_asked_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    real = ssl.create_default_context

    def counted(*args: object, **kwargs: object) -> ssl.SSLContext:
        made.append(args or kwargs)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl, "create_default_context", counted)
    with LocalHttpServer(answer) as server, tls_proxy(server.url, tmp_path) as (proxy, _fingerprint):
        client = make_blocking_http(limits=httpx.Limits(max_connections=3))
        try:
            plain = client.get(f"{server.url}/book.epub")
            assert (plain.status_code, plain.text) == (200, USER_AGENT)
            assert made == []  # no TLS asked for: no authorities read
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                client.get(f"{proxy.url}/book.epub")  # a certificate nobody trusts is refused, as ever
            assert len(made) == 1
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                client.get(f"{proxy.url}/again.epub")
            assert len(made) == 1  # made once, kept
        finally:
            client.close()
    assert proxy.forwarded == 0  # nothing went through the refused connections
