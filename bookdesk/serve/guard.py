"""Who may ask what, for every route: the API's keys (``Authorization: Bearer KEY``, a read-only key
refused on writes with 403), the OPDS log-in (Basic over TLS, Digest without, or none from this machine
itself), the rate-limit tiers per key and per address (429 with Retry-After), and the lock-out after
``failed_logins`` failed log-ins: of another machine's address, or of the one key this machine kept sending.

A pure ASGI middleware inside the request log, so every refusal is JSON with the request's Ref. The
health checks need no log-in, as a supervisor asks them. Addresses of other machines are paced per
address as well as per key; this machine's own are paced by key only (an e-reader app and a script on
the same computer are its owner's). Only log-ins are locked out: the health checks and the OPDS feeds
this machine reads without one are never refused for failures.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import math

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from bookdesk.core.api_keys import key_for
from bookdesk.core.secrets import SHARING_OPDS_PASSWORD, SecretsUnavailableError
from bookdesk.data.api_keys import ApiKeyRow
from bookdesk.serve.context import ServeContext
from bookdesk.serve.digest import DigestAuth
from bookdesk.serve.policy import no_password_for
from bookdesk.serve.problems import problem
from bookdesk.serve.rate_limits import RateLimits, retry_after

_SAFE = ("GET", "HEAD")
_MAX_AUTHORIZATION = 4096


class Refused(Exception):
    def __init__(self, status: int, message: str, headers: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or []


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


_KEY_REMEDY = "check the key in Settings → Sharing or with `bookdesk keys list`"


def _key_holder(address: str, key: str) -> str:
    """Whose failed log-ins a key's count against. Another machine's address: guessing keys from it is
    stopped whichever it sends. This machine's own: the key itself (a digest, not the key), so a script
    with a stale key locks out that key and not the e-reader app or the scripts with good keys beside it."""
    if not is_loopback(address):
        return address
    return "key:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def _locked_out(seconds: float, remedy: str) -> Refused:
    minutes = max(1, math.ceil(seconds / 60))
    return Refused(429, f"Too many failed log-ins; try again in {minutes} minute{'s' if minutes != 1 else ''}, "
                        f"and {remedy}.",
                   [("Retry-After", retry_after(seconds))])


class Guard:
    def __init__(self, app: ASGIApp, ctx: ServeContext, limits: RateLimits, digest: DigestAuth) -> None:
        self.app, self.ctx, self.limits, self.digest = app, ctx, limits, digest

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        address = (scope.get("client") or ("unknown", 0))[0]
        try:
            if not is_loopback(address):  # this machine's own readers and scripts are paced by their key only
                self._pace("reads" if request.method in _SAFE else "writes", f"address:{address}")
            path = scope["path"]
            if path == "/api" or path.startswith("/api/"):
                await self._api(request, address)
            elif path == "/opds" or path.startswith("/opds/"):
                await self._opds(request, address)
        except Refused as refused:
            response = problem(refused.status, refused.message)
            for name, value in refused.headers:  # several WWW-Authenticate challenges may go together
                response.headers.append(name, value)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _pace(self, tier: str, who: str) -> None:
        wait = self.limits.take(tier, who)
        if wait:
            raise Refused(429, "Too many requests; slow down.", [("Retry-After", retry_after(wait))])

    @property
    def _login_place(self) -> str:
        return "given to bookdesk serve" if self.ctx.policy.login_given_to_serve else "in Settings → Sharing"

    @property
    def _password_remedy(self) -> str:
        return f"check the user name and password {self._login_place}"

    def _log_in_please(self, challenge: list[tuple[str, str]]) -> Refused:
        return Refused(401, f"Log in with the user name and password {self._login_place}.", challenge)

    def _check_locked(self, who: str, remedy: str) -> None:
        locked = self.limits.locked(who)
        if locked:
            raise _locked_out(locked, remedy)

    def _failed(self, who: str, remedy: str, status: int, message: str,
                headers: list[tuple[str, str]]) -> Refused:
        self.limits.failed(who)
        locked = self.limits.locked(who)
        if locked:  # this failure was the last one allowed
            return _locked_out(locked, remedy)
        return Refused(status, message, headers)

    async def _api(self, request: Request, address: str) -> None:
        challenge = [("WWW-Authenticate", f'Bearer realm="{self.ctx.policy.realm}"')]
        header = request.headers.get("authorization", "")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise Refused(401, "Send an API key: Authorization: Bearer KEY (bookdesk keys add NAME).", challenge)
        who = _key_holder(address, key.strip())
        self._check_locked(who, _KEY_REMEDY)
        found = await run_in_threadpool(self._key, key.strip()) if len(key) <= _MAX_AUTHORIZATION else None
        if found is None:
            raise self._failed(who, _KEY_REMEDY, 401, "That API key is not known here, or was revoked.", challenge)
        writing = request.method not in _SAFE
        self._pace("writes" if writing else "reads", f"key:{found.name}")
        if writing and found.scope != "write":
            raise Refused(403, f"The key “{found.name}” may only read.")

    def _key(self, key: str) -> ApiKeyRow | None:
        with self.ctx.reading() as connection:
            return key_for(connection, key)

    async def _opds(self, request: Request, address: str) -> None:
        if is_loopback(address):
            # Open to this machine itself, always: an Authorization header a reader or curl sends anyway
            # (a Bearer key, Basic for bob) is not looked at, so it can neither refuse nor count as a failure.
            return
        header = request.headers.get("authorization", "")
        user = self.ctx.policy.opds_user
        password = await run_in_threadpool(self._opds_password) if user else None
        if not user:
            raise Refused(403, "The OPDS catalog is open to this machine only; set a user name and password "
                               "in Settings → Sharing to read it from another device.")
        if not password:  # a user kept, its password not (no keyring after a restart): said as that
            raise Refused(403, "The OPDS catalog is open to this machine only for now. "
                               + no_password_for(user, not self.ctx.policy.login_given_to_serve))
        self._check_locked(address, self._password_remedy)
        if request.url.scheme == "https":
            self._basic(header, user, password, address)
        else:
            self._digest(request, header, user, password, address)

    def _opds_password(self) -> str | None:
        try:
            return self.ctx.secrets.get(SHARING_OPDS_PASSWORD)
        except SecretsUnavailableError:
            return None

    def _basic(self, header: str, user: str, password: str, address: str) -> None:
        challenge = [("WWW-Authenticate", f'Basic realm="{self.ctx.policy.realm}", charset="UTF-8"')]
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            raise self._log_in_please(challenge)
        try:
            given_user, _, given = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            given_user, given = "", ""
        good_user = hmac.compare_digest(given_user.encode(), user.encode())
        if not (hmac.compare_digest(given.encode(), password.encode()) and good_user):
            raise self._failed(address, self._password_remedy, 401, "Wrong user name or password.", challenge)

    def _digest(self, request: Request, header: str, user: str, password: str, address: str) -> None:
        target = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        if request.scope.get("query_string"):
            target += "?" + request.scope["query_string"].decode("latin-1")
        if not header.lower().startswith("digest "):  # none, or Basic sent in clear: never looked at
            raise self._log_in_please([("WWW-Authenticate", c) for c in self.digest.challenges()])
        verdict = self.digest.check(header, request.method, target, user, password)
        if verdict == "stale":
            raise Refused(401, "The log-in was for an old nonce; ask again.",
                          [("WWW-Authenticate", c) for c in self.digest.challenges(stale=True)])
        if verdict != "ok":
            raise self._failed(address, self._password_remedy, 401, "Wrong user name or password.",
                               [("WWW-Authenticate", c) for c in self.digest.challenges()])
