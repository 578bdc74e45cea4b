"""``bookdesk abs add`` of an https Audiobookshelf server with a self-signed certificate (a real server
behind tests/servers/tls_proxy.py): the first run prints the certificate's fingerprint and accepts nothing;
``--trust-fingerprint`` accepts it, and later commands pin it."""

from __future__ import annotations

import json

from bookdesk.core.library_service import LibraryService
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture
from tests.servers.tls_proxy import tls_proxy

VARIABLE = "BOOKDESK_AUDIOBOOKSHELF_NAS"


def test_the_fingerprint_is_printed_then_accepted_and_pinned(
        abs_server, run_cli, library_dir, tmp_path, monkeypatch):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Ann Archer/Ash", "Ash", "Ann Archer")])
    monkeypatch.setenv(VARIABLE, abs_server.api_key)
    LibraryService.open(library_dir).close()
    with tls_proxy(abs_server.url, tmp_path) as (proxy, fingerprint):
        first = run_cli("abs", "add", "NAS", proxy.url, "--abs-library", library_name, "--json")
        sent_before = proxy.forwarded
        accepted = run_cli("abs", "add", "NAS", proxy.url, "--abs-library", library_name,
                           "--trust-fingerprint", fingerprint)
        pulled = run_cli("abs", "pull", "NAS", "--library", library_dir, "--json")
        listed = run_cli("abs", "servers", "--json")

    assert first.returncode == 1
    assert json.loads(first.stdout)["fingerprint"] == fingerprint
    assert f"--trust-fingerprint {fingerprint}" in first.stderr
    assert sent_before == 0
    assert accepted.returncode == 0, accepted.stderr
    assert pulled.returncode == 0, pulled.stderr
    assert json.loads(pulled.stdout)["new"] == 1
    assert json.loads(listed.stdout)["servers"][0]["tls_fingerprint"] == fingerprint


def test_a_pinned_server_showing_another_certificate_is_refused(
        abs_server, run_cli, library_dir, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv(VARIABLE, abs_server.api_key)
    LibraryService.open(library_dir).close()
    with tls_proxy(abs_server.url, tmp_path, "first") as (proxy, fingerprint):
        assert run_cli("abs", "add", "NAS", proxy.url, "--trust-fingerprint", fingerprint).returncode == 0
    with tls_proxy(abs_server.url, tmp_path, "second") as (other, shown):
        # the same address now answered by another certificate, as an impostor on the network would
        run_cli("abs", "add", "NAS", other.url, "--trust-fingerprint", fingerprint)
        pulled = run_cli("abs", "pull", "NAS", "--library", library_dir, "--json")

    assert pulled.returncode == 1
    assert "showed a certificate other than the one you accepted" in pulled.stderr
    assert shown in pulled.stderr
    assert other.forwarded == 0
