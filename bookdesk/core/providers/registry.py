"""Making the providers the user switched on, in their order, with their URLs and secrets."""

from __future__ import annotations

from bookdesk.core.net.client import HttpClient
from bookdesk.core.providers.audnexus import AudnexusProvider
from bookdesk.core.providers.base import MetadataProvider
from bookdesk.core.providers.googlebooks import GoogleBooksProvider
from bookdesk.core.providers.hardcover import HardcoverProvider
from bookdesk.core.providers.openlibrary import OpenLibraryProvider
from bookdesk.core.providers.provider_secret import provider_secret
from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN, SecretStore
from bookdesk.core.settings import Settings

_SECRETS = {"googlebooks": (GOOGLEBOOKS_KEY, GoogleBooksProvider.label),
            "hardcover": (HARDCOVER_TOKEN, HardcoverProvider.label)}  # the providers with a secret


def build_providers(client: HttpClient, settings: Settings,
                    secrets: SecretStore) -> tuple[list[MetadataProvider], list[str]]:
    """The enabled providers, best first, and why any was left out. One that needs a secret it lacks is
    still built: it says ``configured() == False`` and the identify job notes that it was skipped. One
    whose secret the keyring would not read is left out, with a note (see provider_secret.py)."""
    urls, enabled = settings.provider_urls, settings.providers()
    kept: dict[str, str | None] = {}  # the secrets read, by provider
    left_out: dict[str, str] = {}  # provider -> why it is left out
    for name in (n for n in enabled if n in _SECRETS):
        kept[name], refused = provider_secret(secrets, *_SECRETS[name])
        if refused:
            left_out[name] = refused
    makers = {
        "openlibrary": lambda: OpenLibraryProvider(client, urls.get("openlibrary") or None,
                                                   covers_url=urls.get("openlibrary_covers") or None),
        "googlebooks": lambda: GoogleBooksProvider(client, urls.get("googlebooks") or None,
                                                   api_key=kept["googlebooks"]),
        "hardcover": lambda: HardcoverProvider(client, urls.get("hardcover") or None, token=kept["hardcover"]),
        "audnexus": lambda: AudnexusProvider(client, urls.get("audnexus") or None),
    }
    return [makers[name]() for name in enabled if name not in left_out], list(left_out.values())
