"""A TLS front for a real server in the tests, as a NAS's reverse proxy is: a self-signed certificate made
with ``cryptography``, and every connection's bytes passed to the server behind it, on 127.0.0.1.

``forwarded`` counts the bytes clients sent through it: a client that refuses the certificate in the
handshake sends none (no request, no key)."""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bookdesk.core.net.tls_pin import fingerprint_of


def self_signed(folder: Path, name: str = "nas") -> tuple[Path, Path, str]:
    """A certificate for 127.0.0.1 and its key, in ``folder``, and its SHA-256 fingerprint."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path, fingerprint_of(cert.public_bytes(serialization.Encoding.DER))


class TlsProxy:
    def __init__(self, upstream: str, cert: Path, key: Path) -> None:
        host, port = upstream.split("://")[-1].rstrip("/").rsplit(":", 1)
        self.upstream = (host, int(port))
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"https://127.0.0.1:{self.listener.getsockname()[1]}"
        self.forwarded = 0
        self._lock = threading.Lock()
        self._open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self._open:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        try:
            client = self.context.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            raw.close()  # the client refused the certificate (or only read it): nothing to pass on
            return
        upstream = socket.create_connection(self.upstream)
        threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()
        self._pipe(client, upstream, True)

    def _pipe(self, source: socket.socket, target: socket.socket, counted: bool) -> None:
        try:
            while data := source.recv(65536):
                if counted:
                    with self._lock:
                        self.forwarded += len(data)
                target.sendall(data)
        except (OSError, ssl.SSLError):
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.close()

    def close(self) -> None:
        self._open = False
        self.listener.close()


@contextmanager
def tls_proxy(upstream: str, folder: Path, name: str = "nas") -> Iterator[tuple[TlsProxy, str]]:
    """A TLS front for ``upstream`` with a new self-signed certificate, and that certificate's fingerprint."""
    cert, key, fingerprint = self_signed(folder, name)
    proxy = TlsProxy(upstream, cert, key)
    try:
        yield proxy, fingerprint
    finally:
        proxy.close()
