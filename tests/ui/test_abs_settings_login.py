"""Settings' Test of an Audiobookshelf server BookDesk logs in to (the real server of
tests/servers/audiobookshelf.py): when its hour-long access token has run out, Test renews it, and the
renewed tokens are kept; the server turns its refresh token over on each renewal, so the old ones would
stop working for the next sync."""

from __future__ import annotations

from dataclasses import replace

import httpx

from bookdesk.core.audiobookshelf.login import AbsTokens
from tests.servers.audiobookshelf import ROOT_PASSWORD, ROOT_USER, abs_server  # noqa: F401 - the fixture

SECRET = "audiobookshelf:Home NAS"


def test_test_keeps_the_tokens_it_renewed(qtbot, make_window, service, abs_server):  # noqa: F811
    answer = httpx.post(f"{abs_server.url}/login", json={"username": ROOT_USER, "password": ROOT_PASSWORD},
                        headers={"x-return-tokens": "true"}, timeout=60)
    refresh = answer.raise_for_status().json()["user"]["refreshToken"]
    window = make_window(service)
    window.secrets.set(SECRET, AbsTokens("an-access-token-that-ran-out", refresh).stored())
    window.apply_settings(replace(window.settings, audiobookshelf_servers=[
        {"name": "Home NAS", "url": abs_server.url, "username": ROOT_USER}]))
    dialog = window.edit_settings("sources")
    qtbot.addWidget(dialog)
    servers = dialog.sources_page.lists["audiobookshelf"]
    dialog.sources_page.tabs.setCurrentWidget(servers)

    servers.test_button.click()

    qtbot.waitUntil(lambda: servers.result.text().startswith(("✔", "✘")), timeout=60_000)
    assert servers.result.text().startswith("✔ Audiobookshelf 2.36.0 answers"), servers.result.text()
    kept = AbsTokens.read(window.secrets.get(SECRET))
    assert kept.access != "an-access-token-that-ran-out" and kept.refresh != refresh
