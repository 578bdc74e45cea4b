"""A login written into an address (``https://user:password@host/book.epub?apikey=...``): taken out
before the address is stored or shown, kept in the SecretStore (the keyring), and put back only
on the request to that address's server.

The catalog, the log and the screen see the address without it; a later run (a resumed download)
finds it in the keyring by the address's origin. Without a keyring it lasts for this run only: a
download resumed by a later run is then refused by its server, and says so.
"""

from __future__ import annotations

import logging

import httpx

from bookdesk.core.acquisition.opds.auth import ChallengeAuth
from bookdesk.core.secrets import SecretStore, address_secret
from bookdesk.redaction import UrlCredentials, split_credentials, with_params

log = logging.getLogger(__name__)


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, the name its login is kept under."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host.lower()}{port}"


def keep_login(url: str, secrets: SecretStore) -> str:
    """``url`` without its login, which goes to ``secrets``; ``url`` as is when it carries none."""
    clean, found = split_credentials(url)
    if found is None:
        return clean
    try:
        secrets.set(address_secret(origin(clean)), found.to_secret())
    except Exception as exc:  # noqa: BLE001 - a keyring that refuses must not store the login elsewhere
        log.warning("the login in an address for %s could not be kept in the keyring (%s); the download "
                    "will be asked without it", origin(clean), exc)
    return clean


def with_login(url: str, secrets: SecretStore) -> tuple[str, httpx.Auth | None]:
    """The address to ask (its credential parameters put back) and the login to answer its server's
    challenge with, from what ``keep_login`` kept for its origin."""
    try:
        found = UrlCredentials.from_secret(secrets.get(address_secret(origin(url))))
    except Exception as exc:  # noqa: BLE001 - a keyring that fails: ask without, the server will say no
        log.warning("the keyring could not be read for %s (%s)", origin(url), exc)
        found = None
    if found is None:
        return url, None
    auth = ChallengeAuth(found.username or "", found.password or "", url) if found.username or found.password \
        else None
    return with_params(url, found), auth
