""""Does it answer?": one request to a catalog, an indexer, a download client or an Audiobookshelf server with the settings a
person is typing, so a wrong address or password is found before the first search."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from bookdesk.core.acquisition import config
from bookdesk.core.net.factory import make_http
from bookdesk.core.secrets import InMemorySecretStore, SecretStore, source_secret
from bookdesk.errors import UsageError

TIMEOUT = 15.0


async def check_source(kind: str, source: Mapping, secret: str = "", secrets: SecretStore | None = None) -> str:
    """A short sentence of what the source said; raises a BookDeskError with what went wrong. ``secrets``:
    where an Audiobookshelf log-in's tokens, renewed by the check, are kept (the server turns its refresh
    token over on each renewal: the kept one would soon stop working)."""
    if kind == "opds":
        return await _check_catalog(config.opds_catalogs([source])[0], secret)
    if kind == "indexer":
        return await _check_indexer(config.indexers([source])[0], secret)
    if kind == "client":
        return await _check_client(config.clients([source])[0], secret)
    if kind == "audiobookshelf":
        from bookdesk.core.audiobookshelf.client import check_server, said
        from bookdesk.core.audiobookshelf.config import servers
        from bookdesk.core.audiobookshelf.login import AbsTokens

        keep = secrets if AbsTokens.read(secret) is not None else None  # a password typed here is not kept yet
        return said(*await check_server(servers([source])[0], secret or None, keep))
    raise UsageError(f"Unknown kind of source {kind!r}.")


def _http() -> httpx.AsyncClient:
    return make_http(timeout=TIMEOUT)


async def _check_catalog(catalog: config.OpdsCatalogConfig, secret: str) -> str:
    from bookdesk.core.acquisition.opds.client import OpdsClient

    async with _http() as http:
        client = OpdsClient(http, catalog.username or None, secret or None, catalog_url=catalog.url)
        feed = await client.feed(catalog.url)
    searchable = "searchable" if feed.searchable else "not searchable"
    return f"{feed.title or 'The catalog'} answers: {len(feed.entries)} entries on its first page, {searchable}."


async def _check_indexer(indexer: config.IndexerConfig, secret: str) -> str:
    from bookdesk.core.acquisition.torznab import TorznabIndexer

    async with _http() as http:
        caps = await TorznabIndexer(indexer, secret or None, http).capabilities()
    books = [name for number, name in sorted(caps.categories.items()) if 7000 <= number < 8000 or number == 3030]
    modes = "book search" if caps.book_search.available else "text search only"
    return (f"{indexer.name} answers ({modes}); book categories: {', '.join(books[:4]) or 'none listed'}"
            + ("…" if len(books) > 4 else "") + ".")


async def _check_client(client_config: config.ClientConfig, secret: str) -> str:
    from bookdesk.core.acquisition.clients.factory import build_client

    secrets = InMemorySecretStore({source_secret("client", client_config.name): secret} if secret else {})
    client = build_client(client_config, secrets)
    try:
        version = await client.test_connection()
    finally:
        await client.aclose()
    return f"{client_config.name} answers: {version}."
