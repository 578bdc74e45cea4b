"""The login a download needs when it comes from an OPDS catalog that asks for one: the catalog's
user name from the settings and its password from the keyring, answered only to that catalog."""

from __future__ import annotations

import httpx

from bookdesk.core.acquisition import config
from bookdesk.core.acquisition.opds.auth import ChallengeAuth
from bookdesk.core.secrets import SecretStore, source_secret
from bookdesk.core.settings import Settings
from bookdesk.data.catalog_rows import DownloadRecord


def catalog_login(settings: Settings, secrets: SecretStore, record: DownloadRecord) -> httpx.Auth | None:
    """None when the download's source is not a catalog with a user name."""
    for catalog in config.opds_catalogs(settings.opds_catalogs):
        if catalog.name == record.source and catalog.username:
            password = secrets.get(source_secret("opds", catalog.name)) or ""
            return ChallengeAuth(catalog.username, password, catalog.url)
    return None
