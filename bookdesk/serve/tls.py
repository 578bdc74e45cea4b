"""TLS for sharing on the local network: the person's own certificate and key, or a self-signed one made
on first use (the ``cryptography`` package) and kept for the next start, so a reader that trusted its
fingerprint once goes on trusting it.

The fingerprint (SHA-256 of the certificate, as browsers and KOReader show it) is what Settings →
Sharing and ``bookdesk serve`` print, for the person to compare on the device.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bookdesk.errors import UsageError

CERT_NAME, KEY_NAME = "sharing-cert.pem", "sharing-key.pem"
_VALID_DAYS = 825  # the longest a device that checks the validity period accepts


@dataclass(frozen=True, slots=True)
class Certificate:
    cert_file: Path
    key_file: Path
    fingerprint: str  # SHA-256, AB:CD:...
    made_here: bool


def fingerprint_of(cert_file: Path) -> str:
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    except (OSError, ValueError) as exc:
        raise UsageError(f"The certificate {cert_file} cannot be read: {exc}.") from exc
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def names_in(cert_file: Path) -> list[str]:
    """The host names and addresses the certificate is for (its subjectAltName), lower case."""
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
        alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, x509.ExtensionNotFound):
        return []
    return [n.lower() for n in alt.get_values_for_type(x509.DNSName)] \
        + [str(a) for a in alt.get_values_for_type(x509.IPAddress)]


def certificate(folder: Path, cert_file: str = "", key_file: str = "") -> Certificate:
    """The person's own (``cert_file`` and ``key_file``), else the one made here before, else a new one
    in ``folder``."""
    if cert_file or key_file:
        if not (cert_file and key_file):
            raise UsageError("Give both a certificate and its key, or neither for one made here.")
        own, key = Path(cert_file).expanduser(), Path(key_file).expanduser()
        if not key.is_file():
            raise UsageError(f"The key {key} is not there.")
        return Certificate(own, key, fingerprint_of(own), made_here=False)
    cert, key = folder / CERT_NAME, folder / KEY_NAME
    if not (cert.is_file() and key.is_file()):
        _make(cert, key)
    return Certificate(cert, key, fingerprint_of(cert), made_here=True)


def _names() -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    host = socket.gethostname()
    if host and host != "localhost":
        names += [x509.DNSName(host), x509.DNSName(f"{host}.local")]
    return names


def _make(cert_file: Path, key_file: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"BookDesk on {socket.gethostname() or 'this machine'}")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=_VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName(_names()), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    _write(key_file, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()), 0o600)
    _write(cert_file, cert.public_bytes(serialization.Encoding.PEM), 0o644)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Whole or not at all: under a temporary name, then renamed (a kill never leaves half a key)."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)
    os.replace(temp, path)
