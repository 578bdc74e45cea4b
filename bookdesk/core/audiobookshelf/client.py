"""The API of one Audiobookshelf server, as BookDesk asks it: paced by the one rate limiter, with the
key in a header only (never in an address, a log line or a message), and every failure an ``AbsError``
that names the server and says what to do.

What it reads (``server/routers/ApiRouter.js`` of Audiobookshelf): ``GET /status`` (the version, no key
needed), ``GET /api/libraries``, a library's items page by page (``GET /api/libraries/:id/items``, ids
and ``updatedAt``), the items in full by batches (``POST /api/items/batch/get``: authors, narrators,
series with their sequence, files) and the user's progress (``GET /api/me``). API keys came with
Audiobookshelf 2.26.0, which is why that is the oldest version BookDesk speaks to.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bookdesk.core.audiobookshelf.config import AbsServerConfig
from bookdesk.core.audiobookshelf.login import AbsTokens, again, given_for_one_run, log_in, renew
from bookdesk.core.audiobookshelf.trust import certificate_changed, untrusted
from bookdesk.core.net.capped_read import ResponseTooLarge
from bookdesk.core.net.deadline import DeadlineExceeded
from bookdesk.core.net.factory import make_http
from bookdesk.core.net.paced import SERVICE_RATE, fetch_paced, rate_key
from bookdesk.core.net.rate_limiter import HostBusy, RateLimiter
from bookdesk.core.net.tls_pin import CertificateChanged
from bookdesk.core.secrets import SecretStore, SecretsUnavailableError
from bookdesk.errors import BookDeskError
from bookdesk.redaction import remember

log = logging.getLogger(__name__)

OLDEST = "2.26.0"
TIMEOUT = httpx.Timeout(60.0, connect=5.0)  # a big library's page is built by the server while we wait
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # a batch of 100 items with long descriptions stays well under it
PAGE = 500  # items listed per request: ids and updatedAt only, so a page is small
BATCH = 100  # items read in full per request
ATTEMPTS = 4  # a server restarting answers again within a few seconds


class AbsError(BookDeskError):
    """Something about one Audiobookshelf server, in words that name it."""


class AbsNoSuchLibrary(AbsError):
    """The server answered, and has no book library of a name the settings give."""


class AbsUnreachable(AbsError):
    """The server did not answer (down, restarting, wrong address): trying again later may help."""

    retryable = True


class AbsUntrustedCertificate(AbsError):
    """An https server whose certificate this computer does not trust, none accepted for it yet;
    ``fingerprint``: the certificate's SHA-256, for the person to compare and accept (trust.py)."""

    def __init__(self, message: str, fingerprint: str) -> None:
        super().__init__(message)
        self.fingerprint = fingerprint


@dataclass(frozen=True, slots=True)
class AbsLibrary:
    id: str
    name: str
    media_type: str  # book or podcast
    folders: tuple[str, ...]
    folder_ids: tuple[str, ...] = ()  # in the order of ``folders``: an upload names the folder by its id


@dataclass(frozen=True, slots=True)
class AbsStatus:
    version: str
    initialised: bool


def version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split("-")[0].split("."):
        parts.append(int(part) if part.isdigit() else 0)
    return tuple(parts)


class AbsClient:
    """``http`` and ``limiter`` are shared with the rest of a run when given; ``sleep`` is for tests."""

    def __init__(self, config: AbsServerConfig, api_key: str | None, *, limiter: RateLimiter | None = None,
                 transport: httpx.AsyncBaseTransport | None = None, secrets: SecretStore | None = None,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        """``api_key``: the server's stored secret, an API key or a log-in's tokens (login.py), or for a
        server with a user name its password, exchanged on first use; ``secrets`` keeps renewed tokens."""
        self.config = config
        self.label = f"Audiobookshelf server {config.name}"
        remember(api_key)  # masked wherever it might turn up from now on
        self._secret, self._secrets = api_key or "", secrets
        self._tokens = AbsTokens.read(api_key)
        self._key = self._tokens.access if self._tokens else "" if config.username else self._secret
        # A client of its own: the key goes to this server only, never to a host a redirect names.
        self.http = make_http(timeout=TIMEOUT, transport=transport, follow_redirects=False,
                              pinned=config.fingerprint or None)
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.limiter.ensure_rate(rate_key(self.limiter, config.base + "/api"), SERVICE_RATE)
        self.requests = 0  # sent on the wire, for the figures of bench/abs.py
        self._sleep = sleep

    async def aclose(self) -> None:
        await self.http.aclose()

    # ----- what BookDesk asks --------------------------------------------------------------

    async def status(self) -> AbsStatus:
        answer = await self._json("GET", "/status", auth=False)
        if not isinstance(answer, dict) or answer.get("app", "audiobookshelf") != "audiobookshelf":
            raise AbsError(f"{self.label} at {self.config.url} is not an Audiobookshelf server.")
        return AbsStatus(str(answer.get("serverVersion") or "?"), bool(answer.get("isInit", True)))

    async def check(self) -> tuple[AbsStatus, list[AbsLibrary]]:
        """The server's version and libraries: what Settings' Test shows. Refuses a server too old."""
        status = await self.status()
        if status.version != "?" and version_tuple(status.version) < version_tuple(OLDEST):
            raise AbsError(f"{self.label} runs Audiobookshelf {status.version}; BookDesk needs {OLDEST} or "
                           "newer (its API keys). Update the server and try again.")
        return status, await self.libraries()

    async def libraries(self) -> list[AbsLibrary]:
        answer = await self._json("GET", "/api/libraries")
        found = []
        for raw in dicts_in(answer, "libraries"):
            kept = [f for f in raw.get("folders") or () if isinstance(f, dict)]
            found.append(AbsLibrary(str(raw.get("id") or ""), str(raw.get("name") or ""),
                                    str(raw.get("mediaType") or "book"),
                                    tuple(str(f.get("fullPath") or "") for f in kept),
                                    tuple(str(f.get("id") or "") for f in kept)))
        return [library for library in found if library.id]

    async def item_pages(self, library_id: str, page_size: int = PAGE) -> AsyncIterator[list[dict]]:
        """The library's items, a page at a time, until the server has no more (or says its total)."""
        page = 0
        seen = 0
        while True:
            answer = await self._json("GET", f"/api/libraries/{library_id}/items",
                                      params={"limit": page_size, "page": page, "minified": 1, "sort": "addedAt"})
            results = dicts_in(answer, "results")
            if not results:
                return
            seen += len(results)
            yield results
            total = answer.get("total") if isinstance(answer, dict) else None
            if len(results) < page_size or (isinstance(total, int) and seen >= total):
                return
            page += 1

    async def items(self, item_ids: list[str]) -> list[dict]:
        """The items in full, in batches of ``BATCH``."""
        found: list[dict] = []
        for start in range(0, len(item_ids), BATCH):
            batch = item_ids[start:start + BATCH]
            answer = await self._json("POST", "/api/items/batch/get", body={"libraryItemIds": batch})
            found += dicts_in(answer, "libraryItems")
        return found

    async def progress(self) -> dict[str, dict]:
        """The key's user's progress, by library item id."""
        answer = await self._json("GET", "/api/me")
        progress = answer.get("mediaProgress") if isinstance(answer, dict) else None
        return {str(p.get("libraryItemId")): p for p in progress or ()
                if isinstance(p, dict) and not p.get("episodeId")}

    async def update_media(self, item_id: str, body: dict) -> dict:
        """Set an item's metadata (``PATCH /api/items/:id/media``): only the fields ``body`` names change.
        The item as the server has it afterwards is the answer's ``libraryItem``."""
        answer = await self._json("PATCH", f"/api/items/{item_id}/media", body=body)
        return answer if isinstance(answer, dict) else {}

    # ----- one request -----------------------------------------------------------------------

    async def _json(self, method: str, path: str, *, params: dict | None = None, body: Any = None,
                    auth: bool = True) -> Any:
        if auth:
            await self.ready()
        url = self.config.base + path
        renewed = False
        attempt = 0
        while True:
            attempt += 1
            headers = {"Authorization": f"Bearer {self._key}"} if auth else {}
            try:
                answer = await self._send(method, url, headers, params, body)
            except AbsUnreachable:
                if attempt >= ATTEMPTS:
                    raise
            else:
                if answer.status_code == 401 and auth and self._tokens is not None and not renewed:
                    self._adopt(await renew(self, self._tokens))  # an hour's access token ran out: once more
                    renewed, attempt = True, attempt - 1
                    continue
                if answer.status_code not in (502, 503, 504) or attempt >= ATTEMPTS:
                    return self._read(answer, path)
            await self._sleep(0.5 * 2 ** (attempt - 1))

    async def ready(self) -> None:
        """A password exchanged for tokens before the first request that needs them; said when there is
        neither key nor password."""
        if not self._key and self._secret and self.config.username:
            self._adopt(await log_in(self, self._secret))
        if not self._key:
            given = "password" if self.config.username else "API key"
            raise AbsError(f"{self.label} has no {given}. Give it in Settings → Sources & Clients → Audiobookshelf, "
                           f"or in {self.config.variable} for one run.")

    def _adopt(self, tokens: AbsTokens) -> None:
        """Tokens from a log-in or a renewal: used from now on, and kept in the keyring in place of what was
        there (a password is never kept once exchanged), unless the secret was given for this run only."""
        self._tokens, self._key = tokens, tokens.access
        if self._secrets is not None and not given_for_one_run(self):
            self._secrets.set(self.config.secret, tokens.stored())

    async def _send(self, method: str, url: str, headers: dict, params: dict | None, body: Any,
                    **options: Any):  # noqa: ANN202 - options: an upload's files, data and deadline
        self.requests += 1
        try:
            return await fetch_paced(self.http, self.limiter, method, url, limit=MAX_ANSWER_BYTES, headers=headers,
                                     params=params, json=body, **options)
        except HostBusy as busy:
            raise AbsUnreachable(f"{self.label}: {busy.message}") from None
        except ResponseTooLarge:
            raise AbsError(f"{self.label} sent an answer larger than {MAX_ANSWER_BYTES // 2**20} MB; it was "
                           "not read.") from None
        except httpx.ConnectError as exc:
            changed = _in_chain(exc, CertificateChanged)
            if changed is not None:
                raise AbsError(certificate_changed(self.config, changed.seen)) from None
            if _untrusted(exc):
                raise AbsUntrustedCertificate(*await untrusted(self.config)) from None
            raise AbsUnreachable(f"{self.label} cannot be reached at {self.config.url}: is it running, and is "
                                 "the address right?") from None
        except (httpx.TimeoutException, DeadlineExceeded):
            raise AbsUnreachable(f"{self.label} cannot be reached at {self.config.url}: is it running, and is "
                                 "the address right?") from None
        except httpx.HTTPError as exc:
            raise AbsUnreachable(f"{self.label} broke off its answer ({type(exc).__name__}).") from None

    def _read(self, answer, path: str) -> Any:  # noqa: ANN001 - a CappedResponse
        status = answer.status_code
        if status in (401, 403) and self.config.username:
            what = "refused the log-in" if status == 401 else "does not let that user do this"
            raise AbsError(f"{self.label} {what} of user {self.config.username!r} (HTTP {status}). {again(self)}")
        if status in (401, 403):
            what = "refused the API key" if status == 401 else "does not let this key's user do that"
            raise AbsError(f"{self.label} {what} (HTTP {status}). Check the key in Settings → Sources & Clients → "
                           f"Audiobookshelf (or {self.config.variable}).")
        if status == 404:
            raise AbsError(f"{self.label} does not know {path.split('?')[0]}: BookDesk needs Audiobookshelf "
                           f"{OLDEST} or newer, or the library or item is gone.")
        if status >= 500:
            raise AbsUnreachable(f"{self.label} is having trouble (HTTP {status}); try again later.")
        if not 200 <= status < 300:
            raise AbsError(f"{self.label} rejected the request (HTTP {status}).")
        try:
            return json.loads(answer.content)
        except ValueError:
            raise AbsError(f"{self.label} sent an answer that is not JSON; is {self.config.url} the server's "
                           "address?") from None


def _untrusted(exc: BaseException) -> bool:
    """Whether a failed connection was TLS refusing the server's certificate (not a server that is down)."""
    seen: BaseException | None = exc
    for _ in range(8):  # the chain httpx and httpcore make is short; a cycle must not hang here
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _in_chain(exc: BaseException, kind: type[CertificateChanged]) -> CertificateChanged | None:
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None or isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def dicts_in(answer: Any, key: str) -> list[dict]:
    """The objects of the list ``answer[key]``, whatever else a server put there (a hostile answer is no crash)."""
    values = answer.get(key) if isinstance(answer, dict) else None
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


def api_key(config: AbsServerConfig, secrets: SecretStore) -> str | None:
    """The server's API key (keyring, or its variable for one run); a keyring that cannot be read is an
    AbsError naming the server, as every other trouble with it is."""
    try:
        return secrets.get(config.secret)
    except SecretsUnavailableError as exc:
        raise AbsError(f"The API key of Audiobookshelf server {config.name} could not be read: {exc.message}",
                       retryable=True) from None


async def check_server(config: AbsServerConfig, api_key: str | None,
                       secrets: SecretStore | None = None) -> tuple[AbsStatus, list[AbsLibrary]]:
    """Settings' Test and ``bookdesk abs add``: the server's version and libraries, with this key (or password,
    whose tokens go to ``secrets``); raises AbsNoSuchLibrary when the server lacks a library the settings name."""
    client = AbsClient(config, api_key, secrets=secrets)
    try:
        status, libraries = await client.check()
    finally:
        await client.aclose()
    chosen_libraries(config, libraries)
    return status, libraries


def chosen_libraries(config: AbsServerConfig, libraries: list[AbsLibrary]) -> list[AbsLibrary]:
    """The server's book libraries BookDesk reads: those named in the settings, or every one; a name the
    server has no book library of is refused (a pull, Settings' Test and ``bookdesk abs add`` say which)."""
    books = [library for library in libraries if library.media_type == "book"]
    if not config.libraries:
        return books
    chosen = [library for library in books if library.id in config.libraries or library.name in config.libraries]
    missing = [name for name in config.libraries if not any(name in (lib.id, lib.name) for lib in chosen)]
    if missing:
        raise AbsNoSuchLibrary(f"Audiobookshelf server {config.name} has no book library called {missing[0]!r}; "
                               f"it has: {', '.join(library.name for library in books) or 'none'}.")
    return chosen


def said(status: AbsStatus, libraries: list[AbsLibrary]) -> str:
    """What a Test tells a person of a server that answered."""
    names = ", ".join(library.name for library in libraries) or "none this key may read"
    return f"Audiobookshelf {status.version} answers; libraries: {names}."
