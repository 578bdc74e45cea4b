"""HTTP Digest authentication (RFC 7616) for the OPDS feeds over plain HTTP, where Basic would send the
password as it is: the password never crosses the network, only a hash bound to a nonce and the address.

Nonces are stateless: the time they were made and an HMAC of it under a key made when the server starts,
so any nonce this server did not make is refused, and one older than ``NONCE_LIFE`` is answered ``stale``
(the client asks again with a new one, without asking the person). Both SHA-256 and MD5 are offered:
most e-readers still know only MD5.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable

NONCE_LIFE = 300.0
ALGORITHMS = {"SHA-256": hashlib.sha256, "MD5": hashlib.md5}
_PARAM = re.compile(r'\s*([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?')
_MAX_HEADER = 4096


class DigestAuth:
    def __init__(self, realm: str, clock: Callable[[], float] = time.time) -> None:
        self.realm = realm
        self._key = secrets.token_bytes(32)
        self._clock = clock

    def challenges(self, stale: bool = False) -> list[str]:
        """The WWW-Authenticate values to send with a 401, SHA-256 first."""
        nonce = self._nonce()
        extra = ", stale=true" if stale else ""
        return [f'Digest realm="{self.realm}", qop="auth", algorithm={name}, nonce="{nonce}"{extra}'
                for name in ALGORITHMS]

    def check(self, header: str, method: str, target: str, user: str, password: str) -> str:
        """"ok", "stale" (a good answer to an old nonce) or "no"."""
        params = parse(header)
        if params is None:
            return "no"
        algorithm = params.get("algorithm", "MD5").upper()
        digest = ALGORITHMS.get(algorithm)
        needed = ("username", "realm", "nonce", "uri", "response", "nc", "cnonce")
        if digest is None or params.get("qop") != "auth" or any(k not in params for k in needed):
            return "no"
        if params["realm"] != self.realm or params["uri"] != target:
            return "no"

        def h(text: str) -> str:
            return digest(text.encode("utf-8")).hexdigest()

        ha1 = h(f"{user}:{self.realm}:{password}")
        ha2 = h(f"{method}:{params['uri']}")
        expected = h(f"{ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:auth:{ha2}")
        good = hmac.compare_digest(expected, params["response"]) \
            and hmac.compare_digest(params["username"].encode(), user.encode())
        if not good or not self._made_here(params["nonce"]):
            return "no"
        return "ok" if self._fresh(params["nonce"]) else "stale"

    def _nonce(self) -> str:
        stamp = f"{self._clock():.0f}"
        return f"{stamp}.{self._sign(stamp)}"

    def _sign(self, stamp: str) -> str:
        return hmac.new(self._key, stamp.encode(), hashlib.sha256).hexdigest()[:32]

    def _made_here(self, nonce: str) -> bool:
        stamp, _, signature = nonce.partition(".")
        return stamp.isdigit() and hmac.compare_digest(signature, self._sign(stamp))

    def _fresh(self, nonce: str) -> bool:
        return self._clock() - int(nonce.partition(".")[0]) <= NONCE_LIFE


def parse(header: str) -> dict[str, str] | None:
    """The parameters of a ``Digest ...`` Authorization value; None when it is not one."""
    if len(header) > _MAX_HEADER or header[:7].lower() != "digest ":
        return None
    params: dict[str, str] = {}
    rest = header[7:]
    position = 0
    while position < len(rest):
        match = _PARAM.match(rest, position)
        if match is None or match.end() == position:
            return None
        quoted, bare = match.group(2), match.group(3)
        params[match.group(1).lower()] = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare
        position = match.end()
    return params
