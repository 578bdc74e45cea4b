"""One way to make an IdentifyService, for the window and the command line alike."""

from __future__ import annotations

from bookdesk.core.identify.service import IdentifyService
from bookdesk.core.net.client import HttpClient
from bookdesk.core.providers.registry import build_providers
from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings
from bookdesk.data.catalog import Catalog


def identify_service(catalog: Catalog, client: HttpClient, settings: Settings,
                     secrets: SecretStore) -> IdentifyService:
    providers, left_out = build_providers(client, settings, secrets)
    return IdentifyService(catalog, providers, order=settings.providers(), fetch_cover=client.get_bytes,
                           left_out=left_out)
