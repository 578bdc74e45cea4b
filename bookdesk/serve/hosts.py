"""Only this server's own names in ``Host``: anything else is refused (421, JSON with the Ref).

Without it a web page could rebind its own name to 127.0.0.1 (DNS rebinding): the browser then sends
the page's requests here with ``Host: evil.example``, and reads the OPDS catalog, open to this machine
without a log-in, and the links built from that Host. Answered: localhost, any loopback address (and
0.0.0.0), the address the connection came in on (an address a device typed), and the policy's ``host_names`` (the
machine's names and the certificate's, given when the local network is allowed). A request without a
Host (HTTP/1.0) named no one else and is answered.
"""

from __future__ import annotations

import ipaddress

from starlette.types import ASGIApp, Receive, Scope, Send

from bookdesk.serve.problems import problem

_ALWAYS = frozenset({"localhost"})


def host_name(header: str) -> str:
    """The name in a Host header without its port, lower case, without a trailing dot:
    ``[::1]:8585`` -> ``::1``, ``LocalHost.:80`` -> ``localhost``."""
    text = header.strip()
    if text.startswith("["):
        text = text[1:text.find("]")] if "]" in text else text[1:]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    return text.rstrip(".").lower()


def _is_ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


class HostCheck:
    def __init__(self, app: ASGIApp, names: tuple[str, ...] = ()) -> None:
        self.app = app
        self.names = _ALWAYS | {host_name(n) for n in names}

    def allowed(self, name: str, scope: Scope) -> bool:
        if name in self.names:
            return True
        address = _is_ip(name)
        if address is None:
            return False
        server = _is_ip(host_name((scope.get("server") or ("", 0))[0] or ""))
        # 0.0.0.0 reaches this machine too (a browser on it typing the address serve listens on).
        return address.is_loopback or address.is_unspecified or (server is not None and address == server)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = next((v for k, v in scope["headers"] if k == b"host"), None)
            name = host_name(header.decode("latin-1")) if header is not None else None
            if name is not None and not self.allowed(name, scope):
                response = problem(421, f"This server is not known as “{name[:100]}”; ask it by its address "
                                        "(127.0.0.1 on this machine, or one Settings → Sharing shows).")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
