"""Making the providers the user switched on, in their order, with their URLs and secrets."""

from __future__ import annotations

from bookdesk.core.net.client import HttpClient
from bookdesk.core.providers.audnexus import AudnexusProvider
from bookdesk.core.providers.base import MetadataProvider
from bookdesk.core.providers.googlebooks import GoogleBooksProvider
from bookdesk.core.providers.hardcover import HardcoverProvider
from bookdesk.core.providers.openlibrary import OpenLibraryProvider
from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN, SecretStore
from bookdesk.core.settings import Settings


def build_providers(client: HttpClient, settings: Settings, secrets: SecretStore) -> list[MetadataProvider]:
    """The enabled providers, best first. One that needs a secret it lacks is still built: it says
    ``configured() == False`` and the identify job notes that it was skipped."""
    urls = settings.provider_urls
    makers = {
        "openlibrary": lambda: OpenLibraryProvider(client, urls.get("openlibrary") or None,
                                                   covers_url=urls.get("openlibrary_covers") or None),
        "googlebooks": lambda: GoogleBooksProvider(client, urls.get("googlebooks") or None,
                                                   api_key=secrets.get(GOOGLEBOOKS_KEY)),
        "hardcover": lambda: HardcoverProvider(client, urls.get("hardcover") or None,
                                               token=secrets.get(HARDCOVER_TOKEN)),
        "audnexus": lambda: AudnexusProvider(client, urls.get("audnexus") or None),
    }
    return [makers[name]() for name in settings.providers()]
