"""Logging in to a real Audiobookshelf server (tests/servers/audiobookshelf.py) with a user name and
password: the password is exchanged for tokens, which the keyring keeps in its place; an access token the
server no longer takes is renewed with the refresh token; a log-in the server has ended is said, naming the
server, and nothing is pulled."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from bookdesk.core.audiobookshelf.client import AbsClient, AbsError
from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.audiobookshelf.login import AbsTokens
from bookdesk.core.audiobookshelf.pull import AbsPull
from bookdesk.core.jobs import JobRunner
from bookdesk.core.secrets import InMemorySecretStore
from tests.servers.audiobookshelf import ROOT_PASSWORD, ROOT_USER, Book, abs_server  # noqa: F401 - the fixture

ASH = Book("Ann Archer/Ash", "Ash", "Ann Archer")


def _config(server, library: str | None = None):  # noqa: ANN001, ANN202
    return servers([{"name": "Home", "url": server.url, "username": ROOT_USER,
                     "libraries": [library] if library else []}])[0]


def _libraries(config, secrets: InMemorySecretStore) -> list[str]:  # noqa: ANN001
    async def ask() -> list[str]:
        client = AbsClient(config, secrets.get(config.secret), secrets=secrets)
        try:
            return [library.name for library in await client.libraries()]
        finally:
            await client.aclose()

    return asyncio.run(ask())


def test_a_password_is_exchanged_for_tokens_which_the_keyring_keeps_in_its_place(
        abs_server, service, caplog):  # noqa: F811
    name, library_id, _ = abs_server.library([ASH])
    config = _config(abs_server, library_id)
    secrets = InMemorySecretStore({config.secret: ROOT_PASSWORD})
    runner = JobRunner(service.catalog)
    caplog.set_level(logging.DEBUG)

    result = asyncio.run(runner.run(runner.create("abs-pull", "Pull"), AbsPull(service.catalog, [config], secrets).run))

    assert result.state == "succeeded", result.error
    assert (result.value.items, result.value.new) == (1, 1)
    assert caplog.records  # the pull was heard: what it said is checked below
    kept = secrets.get(config.secret)
    assert ROOT_PASSWORD not in kept
    tokens = AbsTokens.read(kept)
    assert tokens is not None and tokens.refresh
    written = b"".join(p.read_bytes() for p in service.catalog.folder.rglob("*") if p.is_file())
    for secret in (ROOT_PASSWORD, tokens.access, tokens.refresh):  # in no log line, no catalog
        assert secret not in caplog.text
        assert secret.encode() not in written
    assert name in _libraries(config, secrets)  # the kept tokens are enough from then on


def test_an_access_token_the_server_no_longer_takes_is_renewed_with_the_refresh_token(abs_server):  # noqa: F811
    config = _config(abs_server)
    secrets = InMemorySecretStore({config.secret: ROOT_PASSWORD})
    _libraries(config, secrets)
    refresh = AbsTokens.read(secrets.get(config.secret)).refresh
    secrets.set(config.secret, AbsTokens("not-a-token-the-server-made", refresh).stored())

    assert _libraries(config, secrets)

    renewed = AbsTokens.read(secrets.get(config.secret))
    assert renewed.access != "not-a-token-the-server-made"
    assert renewed.refresh and renewed.refresh != refresh  # the server turns its refresh token over each time


def test_a_log_in_the_server_ended_is_said_naming_the_server_and_nothing_is_pulled(
        abs_server, service):  # noqa: F811
    _, library_id, _ = abs_server.library([ASH])
    config = _config(abs_server, library_id)
    secrets = InMemorySecretStore({config.secret: ROOT_PASSWORD})
    _libraries(config, secrets)
    refresh = AbsTokens.read(secrets.get(config.secret)).refresh
    httpx.post(abs_server.url + "/logout", headers={"x-refresh-token": refresh}, timeout=60).raise_for_status()
    secrets.set(config.secret, AbsTokens("an-hour-old-token", refresh).stored())
    runner = JobRunner(service.catalog)

    result = asyncio.run(runner.run(runner.create("abs-pull", "Pull"), AbsPull(service.catalog, [config], secrets).run))

    assert result.state == "failed"
    assert isinstance(result.error, AbsError)
    assert result.error.message.startswith(f"The log-in of user {ROOT_USER!r} on Audiobookshelf server Home has expired")
    assert f"bookdesk abs add Home {abs_server.url} --user {ROOT_USER}" in result.error.message
    assert service.work_ids() == []


def test_a_wrong_password_is_said_as_such_and_nothing_is_kept(abs_server):  # noqa: F811
    config = _config(abs_server)
    secrets = InMemorySecretStore({config.secret: "not the password"})

    with pytest.raises(AbsError) as refused:
        _libraries(config, secrets)

    assert refused.value.message.startswith(f"Audiobookshelf server Home refused the user name {ROOT_USER!r}")
    assert secrets.get(config.secret) == "not the password"
