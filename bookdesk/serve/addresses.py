"""Where devices on the local network reach this machine: its IPv4 addresses other than loopback, for
Settings → Sharing, the tray and ``bookdesk serve`` to show, and the names a request may call it by."""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bookdesk.serve.tls import Certificate


def local_addresses() -> list[str]:
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:  # the address toward the network's default route (a UDP connect sends nothing)
        probe.connect(("10.255.255.255", 1))
        found.append(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    try:
        for *_, address in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(address[0]))
    except OSError:
        pass
    unique = dict.fromkeys(a for a in found if not ipaddress.ip_address(a).is_loopback)
    return list(unique)


def urls(host: str, port: int, tls: bool) -> list[str]:
    """The addresses a person types on a device: each of this machine's for a wildcard ``host``, and then
    127.0.0.1 for this computer itself, on the same scheme: one listener, so with the network allowed this
    computer too is served over HTTPS (no plain http beside it)."""
    scheme = "https" if tls else "http"
    if host in ("0.0.0.0", "::"):
        hosts = [*local_addresses(), "127.0.0.1" if host == "0.0.0.0" else "::1"]
    else:
        hosts = [host]
    return [f"{scheme}://{f'[{h}]' if ':' in h else h}:{port}" for h in hosts]


def lan_names(tls: Certificate | None) -> tuple[str, ...]:
    """The names a device on the local network may give in Host (serve/hosts.py): this machine's host
    name (and .local, as mDNS answers it), its addresses, and the names in the certificate (a name of a
    person's own certificate, such as the home server's DNS name). Not socket.getfqdn: a reverse lookup
    that can hang for seconds where DNS is broken, and the window starts sharing on its GUI thread."""
    from bookdesk.serve.tls import names_in

    host = socket.gethostname().lower()
    names = [host, f"{host}.local", *local_addresses()] if host else local_addresses()
    if tls is not None:
        names += names_in(tls.cert_file)
    return tuple(dict.fromkeys(n for n in names if n))
