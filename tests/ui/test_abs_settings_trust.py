"""The Audiobookshelf tab of Settings → Sources & Clients beyond its plain fields: Test of an https server
with a self-signed certificate (a real server behind tests/servers/tls_proxy.py) asks "Trust this
certificate?" with its fingerprint, and an accepted one is kept and pinned."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from bookdesk.core.audiobookshelf.config import servers as parsed
from tests.servers.audiobookshelf import abs_server  # noqa: F401 - the session fixture
from tests.servers.tls_proxy import tls_proxy
from tests.ui.settings_dialog_harness import abs_server_form, save


def _answered(qtbot, servers) -> str:  # noqa: ANN001
    qtbot.waitUntil(lambda: servers.result.text().startswith(("✔", "✘")), timeout=60_000)
    return servers.result.text()


def test_test_asks_to_trust_the_certificate_and_the_accepted_one_is_kept(
        qtbot, make_window, service, abs_server, tmp_path, monkeypatch):  # noqa: F811
    asked = []

    def question(parent, title, text, *args):  # noqa: ANN001, ANN002, ANN202
        asked.append((title, text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    window = make_window(service)
    with tls_proxy(abs_server.url, tmp_path) as (proxy, fingerprint):
        dialog, servers = abs_server_form(qtbot, window, proxy.url, abs_server.api_key)

        servers.test_button.click()

        qtbot.waitUntil(lambda: servers.result.text().startswith("✔"), timeout=60_000)
        assert servers.result.text().startswith("✔ Audiobookshelf 2.36.0 answers")
        save(dialog)
    assert [title for title, _ in asked] == ["Trust this certificate?"]
    assert fingerprint in asked[0][1]
    assert window.settings.audiobookshelf_servers[0]["tls_fingerprint"] == fingerprint
    assert parsed(window.settings.audiobookshelf_servers)[0].fingerprint == fingerprint


def test_a_certificate_not_trusted_stays_refused(
        qtbot, make_window, service, abs_server, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window = make_window(service)
    with tls_proxy(abs_server.url, tmp_path) as (proxy, fingerprint):
        dialog, servers = abs_server_form(qtbot, window, proxy.url, abs_server.api_key)

        servers.test_button.click()

        said = _answered(qtbot, servers)
        save(dialog)
    assert said.startswith("✘ Audiobookshelf server Home NAS at https://127.0.0.1:")
    assert fingerprint in said
    assert "tls_fingerprint" not in window.settings.audiobookshelf_servers[0]
