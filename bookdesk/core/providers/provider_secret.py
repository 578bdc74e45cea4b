"""Reading a metadata provider's token or API key for one run. A keyring that refuses (locked, its
unlock prompt cancelled) costs that provider only: it is left out of the run with a note saying so, and
the other providers are asked."""

from __future__ import annotations

import logging
from typing import Protocol

from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN, SecretsUnavailableError

log = logging.getLogger(__name__)

WHAT = {HARDCOVER_TOKEN: "token", GOOGLEBOOKS_KEY: "API key"}  # the secret in the person's words


class SecretsLike(Protocol):
    def get(self, name: str) -> str | None: ...


def provider_secret(secrets: SecretsLike, name: str, label: str) -> tuple[str | None, str | None]:
    """(the secret, None), the secret None when none is kept; or (None, why ``label`` is left out) when
    the keyring would not read it."""
    try:
        return secrets.get(name), None
    except SecretsUnavailableError as exc:
        log.warning("%s left out of this run: %s", label, exc.message)
        return None, f"{label} skipped: your keyring did not give its {WHAT.get(name, 'secret')}"
