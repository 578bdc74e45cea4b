"""Logging in to an Audiobookshelf server with a user name and password, for a person who has no API key
(or a server whose admin gives none): the password is exchanged for tokens once (``POST /login``), and the
tokens, not the password, are what the keyring keeps from then on, under the server's secret name.

What Audiobookshelf 2.36 answers (``server/Auth.js``): ``POST /login`` with the header
``x-return-tokens: true`` gives ``user.accessToken`` (valid an hour) and ``user.refreshToken`` (thirty days,
renewed on each use); ``POST /auth/refresh`` with ``x-refresh-token`` gives both anew. A refresh token the
server no longer knows (logged out, expired) is a 401: the person logs in again, told which server.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bookdesk.redaction import remember

if TYPE_CHECKING:
    from bookdesk.core.audiobookshelf.client import AbsClient

# A stored secret that starts so holds a log-in's tokens (JSON after it); anything else is an API key, or a
# password not yet exchanged (a server with a user name, saved in Settings before its first use).
MARK = "abs-login:"


@dataclass(frozen=True, slots=True)
class AbsTokens:
    access: str
    refresh: str | None

    def stored(self) -> str:
        return MARK + json.dumps({"access": self.access, "refresh": self.refresh})

    @staticmethod
    def read(secret: str | None) -> AbsTokens | None:
        """The tokens a stored secret holds, or None when it is a key or a password."""
        if not secret or not secret.startswith(MARK):
            return None
        try:
            raw = json.loads(secret[len(MARK):])
        except ValueError:
            return None
        access = raw.get("access") if isinstance(raw, dict) else None
        if not isinstance(access, str) or not access:
            return None
        refresh = raw.get("refresh")
        tokens = AbsTokens(access, refresh if isinstance(refresh, str) and refresh else None)
        remember(tokens.access)
        remember(tokens.refresh)
        return tokens


def again(client: AbsClient) -> str:
    """How the person logs in again, in words that name the server."""
    config = client.config
    return (f"Log in again in Settings → Sources & Clients → Audiobookshelf, or with bookdesk abs add {config.name} "
            f"{config.url} --user {config.username} (the password in {config.variable} for one run).")


async def log_in(client: AbsClient, password: str) -> AbsTokens:
    """The tokens the server gives for the client's user and ``password``; an AbsError naming the server
    when it refuses them."""
    from bookdesk.core.audiobookshelf.client import AbsError

    remember(password)
    user = client.config.username
    answer = await client._send("POST", client.config.base + "/login", {"x-return-tokens": "true"}, None,
                                {"username": user, "password": password})
    if answer.status_code == 401:
        raise AbsError(f"{client.label} refused the user name {user!r} or its password. Check them in Settings → "
                       f"Sources & Clients → Audiobookshelf (or {client.config.variable}).")
    if answer.status_code == 429:
        raise AbsError(f"{client.label} refuses more log-ins for a while (too many tried); wait ten minutes and "
                       "try again.", retryable=True)
    return _tokens(client, client._read(answer, "/login"), "log-in")


async def renew(client: AbsClient, tokens: AbsTokens) -> AbsTokens:
    """New tokens for the refresh token; an AbsError saying to log in again when the server no longer takes it."""
    from bookdesk.core.audiobookshelf.client import AbsError

    expired = AbsError(f"The log-in of user {client.config.username!r} on {client.label} has expired. {again(client)}")
    if not tokens.refresh:
        raise expired
    answer = await client._send("POST", client.config.base + "/auth/refresh", {"x-refresh-token": tokens.refresh},
                                None, None)
    if answer.status_code in (401, 403):
        raise expired
    return _tokens(client, client._read(answer, "/auth/refresh"), "renewal")


def _tokens(client: AbsClient, answer: object, what: str) -> AbsTokens:
    from bookdesk.core.audiobookshelf.client import OLDEST, AbsError

    user = answer.get("user") if isinstance(answer, dict) else None
    access = user.get("accessToken") if isinstance(user, dict) else None
    if not isinstance(access, str) or not access:
        raise AbsError(f"{client.label} answered the {what} without a token; BookDesk needs Audiobookshelf {OLDEST} "
                       "or newer.")
    refresh = user.get("refreshToken")
    tokens = AbsTokens(access, refresh if isinstance(refresh, str) and refresh else None)
    remember(tokens.access)
    remember(tokens.refresh)
    return tokens


def given_for_one_run(client: AbsClient) -> bool:
    """Whether the secret came from the environment variable: tokens made from it are not kept."""
    return bool(os.environ.get(client.config.variable))
