"""A server whose TLS certificate this computer does not trust (self-signed, as on many NAS boxes), trusted
only by the SHA-256 fingerprint of that one certificate, which the person accepted once.

A pinned connection checks the fingerprint inside the TLS handshake (``PinnedObject.do_handshake``), so a
different certificate ends the connection before a byte of the request, and so before a key or a password,
is sent. The chain and the host name are not checked then: the fingerprint names the certificate itself,
which is all a self-signed one can be trusted by. ``make_http(pinned=...)`` (factory.py) is the one way to
such a client.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import ssl
from urllib.parse import urlsplit

from bookdesk.errors import UsageError

CONNECT_TIMEOUT = 10.0


class CertificateChanged(ssl.SSLCertVerificationError):
    """The server showed a certificate other than the pinned one; ``seen`` is its fingerprint."""

    def __init__(self, seen: str, pinned: str) -> None:
        super().__init__(f"certificate fingerprint {seen} is not the accepted {pinned}")
        self.seen, self.pinned = seen, pinned


def fingerprint_of(der: bytes) -> str:
    """The SHA-256 of a certificate as a browser or ``openssl x509 -fingerprint -sha256`` shows it."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def normalized(fingerprint: str) -> str:
    """A fingerprint as typed or pasted (any case, with or without colons or spaces, a ``SHA256:``-like
    prefix); UsageError when it is not a SHA-256."""
    text = re.sub(r"^\s*sha-?256\s*[:=]?", "", fingerprint.strip(), flags=re.IGNORECASE)
    digest = re.sub(r"[\s:]", "", text).upper()
    if not re.fullmatch(r"[0-9A-F]{64}", digest):
        raise UsageError(f"{fingerprint!r} is not a SHA-256 fingerprint (64 hexadecimal digits, as "
                         "AB:CD:…).")
    return ":".join(digest[i:i + 2] for i in range(0, 64, 2))


def pinned_context(fingerprint: str) -> ssl.SSLContext:
    """An SSL context that accepts the one certificate of ``fingerprint`` and no other."""
    pinned = normalized(fingerprint)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class PinnedObject(ssl.SSLObject):
        def do_handshake(self) -> None:
            super().do_handshake()
            _check(self.getpeercert(binary_form=True), pinned)

    class PinnedSocket(ssl.SSLSocket):
        def do_handshake(self, block: bool = False) -> None:
            super().do_handshake(block)
            _check(self.getpeercert(binary_form=True), pinned)

    context.sslobject_class = PinnedObject  # asyncio and anyio (httpx's async client) wrap a BIO
    context.sslsocket_class = PinnedSocket  # httpx's blocking client wraps a socket
    return context


def _check(der: bytes | None, pinned: str) -> None:
    seen = fingerprint_of(der or b"")
    if seen != pinned:
        raise CertificateChanged(seen, pinned)


async def server_fingerprint(url: str) -> str | None:
    """The fingerprint of the certificate an https server shows, read without trusting it (nothing is
    sent); None when the server cannot be reached or speaks no TLS."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(
            parts.hostname, parts.port or 443, ssl=context, server_hostname=parts.hostname), CONNECT_TIMEOUT)
    except (OSError, ssl.SSLError, TimeoutError):
        return None
    try:
        der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    finally:
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):  # the server went first; the certificate was read
            await writer.wait_closed()
    return fingerprint_of(der) if der else None
