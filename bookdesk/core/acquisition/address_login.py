"""A login written into an address (``https://user:password@host/book.epub?apikey=...``): taken out
before the address is stored or shown, kept in the SecretStore (the keyring), and put back only
on the request to that address.

The login is kept per download, not per server: two links of one server carry two keys (a key per
file, or two accounts), and each download gets back its own. The stored address says which login is
its own with a fragment, ``#login=<digest of the whole address as given>``: the same address given
twice is the same download, two addresses told apart only by their keys stay two. A fragment is never
sent to a server. The digest is slow to compute on purpose (PBKDF2), so that the catalog, which
keeps it, is no quick way to guess a weak password in the address.

Without a keyring the login lasts for this run only: a download resumed by a later run is then
refused by its server, and says so.

``take_login`` is the one way an address's login is taken out of it for a request made now (the
``bookdesk opds`` command): the ``user:password@`` out, its credential parameters kept in.
"""

from __future__ import annotations

import hashlib
import logging

import httpx

from bookdesk.core.net.host_name import host_key
from bookdesk.core.secrets import SecretStore, address_secret
from bookdesk.redaction import UrlCredentials, split_credentials, with_params

log = logging.getLogger(__name__)

_MARK = "login="
_ROUNDS = 20_000  # a few milliseconds per download queued; a guess at a password costs as much


def take_login(url: str) -> tuple[str, UrlCredentials | None]:
    """The address to ask now (without its ``user:password@``, with its credential parameters, which
    the server may need on every page) and what was taken out of it (None when nothing was). The
    values are remembered, so they are masked wherever they show up later."""
    clean, found = split_credentials(url)
    return with_params(clean, found), found


def keep_login(url: str, secrets: SecretStore) -> str:
    """``url`` as it is stored: without its login, which goes to ``secrets`` under this download's own
    name, and with the fragment that names it; ``url`` as is when it carries none."""
    clean, found = split_credentials(url)
    if found is None:
        return clean
    digest = hashlib.pbkdf2_hmac("sha256", url.strip().encode(), clean.encode(), _ROUNDS, dklen=8).hex()
    stored = f"{clean.partition('#')[0]}#{_MARK}{digest}"
    try:
        secrets.set(login_name(stored), found.to_secret())
    except Exception as exc:  # noqa: BLE001 - a keyring that refuses must not store the login elsewhere
        log.warning("the login in an address for %s could not be kept in the keyring (%s); the download "
                    "will be asked without it", host_key(clean), exc)
    return stored


def login_name(stored: str) -> str:
    """The SecretStore name of the login of the download stored as ``stored``."""
    return address_secret(stored)


def forget_login(stored: str, secrets: SecretStore) -> None:
    """The login kept for the download stored as ``stored`` taken out of ``secrets`` (it was removed):
    the keyring does not keep a login for every download ever queued."""
    if not stored.partition("#")[2].startswith(_MARK):
        return
    try:
        secrets.delete(login_name(stored))
    except Exception as exc:  # noqa: BLE001 - a keyring that fails: the entry stays, nothing else is hurt
        log.warning("the login of a removed download for %s could not be taken out of the keyring (%s)",
                    host_key(stored), exc)


def with_login(stored: str, secrets: SecretStore) -> tuple[str, httpx.Auth | None]:
    """The address to ask for the download stored as ``stored`` (its credential parameters put back,
    the fragment left out) and the login to answer its server's challenge with, from what
    ``keep_login`` kept for it."""
    url, _, fragment = stored.partition("#")
    if not fragment.startswith(_MARK):
        return stored, None
    try:
        # from_secret remembers each value: the keyring's entry is remembered whole, which masks
        # nothing when a server echoes the password alone.
        found = UrlCredentials.from_secret(secrets.get(login_name(stored)))
    except Exception as exc:  # noqa: BLE001 - a keyring that fails: ask without, the server will say no
        log.warning("the keyring could not be read for %s (%s)", host_key(url), exc)
        found = None
    if found is None:
        return url, None
    # Loaded only for an address with a login: it brings the whole OPDS package, which a plain fetch never needs.
    from bookdesk.core.acquisition.opds.auth import ChallengeAuth

    auth = ChallengeAuth(found.username or "", found.password or "", url) if found.username or found.password \
        else None
    return with_params(url, found), auth
