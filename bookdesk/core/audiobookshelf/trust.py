"""What BookDesk says of an https Audiobookshelf server whose certificate this computer does not trust
(self-signed, as on many NAS boxes): its SHA-256 fingerprint, for the person to compare with the one the
server shows and accept (Settings' "Trust this certificate?", ``bookdesk abs add --trust-fingerprint``); and,
once one is accepted, a different certificate refused in words that say what may be going on."""

from __future__ import annotations

import shlex

from bookdesk.core.audiobookshelf.config import AbsServerConfig
from bookdesk.core.net.tls_pin import server_fingerprint


def add_again(config: AbsServerConfig, fingerprint: str) -> str:
    """``bookdesk abs add`` that keeps the server as it is set up (its user, libraries and mappings: a
    server added again is replaced whole) and accepts ``fingerprint``."""
    words = ["bookdesk abs add", shlex.quote(config.name), shlex.quote(config.url)]
    words += [f"--user {shlex.quote(config.username)}"] if config.username else []
    words += [f"--abs-library {shlex.quote(name)}" for name in config.libraries]
    words += [f"--map {shlex.quote(f'{m.remote}={m.local}')}" for m in config.path_mappings]
    return " ".join([*words, f"--trust-fingerprint {fingerprint}"])


async def untrusted(config: AbsServerConfig) -> tuple[str, str]:
    """What to say of a server whose certificate does not verify, and the certificate's fingerprint (empty
    when it could not be read again)."""
    fingerprint = await server_fingerprint(config.base) or ""
    said = (f"Its SHA-256 fingerprint is {fingerprint}. If that is the fingerprint your server shows, trust it: "
            f"press Test in Settings → Sources & Clients → Audiobookshelf, or run {add_again(config, fingerprint)}."
            if fingerprint else
            "Its fingerprint could not be read; try again.")
    return (f"Audiobookshelf server {config.name} at {config.url} has a certificate this computer does not trust "
            f"(self-signed?); nothing was sent to it. {said}", fingerprint)


def certificate_changed(config: AbsServerConfig, seen: str) -> str:
    return (f"Audiobookshelf server {config.name} at {config.url} showed a certificate other than the one you "
            f"accepted (its SHA-256 fingerprint is {seen}, the accepted one {config.fingerprint}); nothing was sent "
            "to it. If the server's certificate was renewed, check the new fingerprint on the server and accept "
            f"it (Settings' Test, or {add_again(config, seen)}); "
            "otherwise something between this computer and the server may be listening.")
