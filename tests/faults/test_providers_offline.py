"""Every provider down is not "not found": ``bookdesk identify`` with its providers at a port where
nothing listens, or at a server answering 503 to everything, says the book could not be looked up
(status "offline", the providers' errors, exit 1), and with some providers down and the others
knowing nothing, says both."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

from bookdesk.core.settings import Settings, save_settings
from tests.faults.one_book import one_book_library_fixture  # noqa: F401 - a fixture
from tests.servers.ports import free_port

QUICK = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
TWO = ["openlibrary", "googlebooks"]


def only(providers: list[str], urls: dict[str, str]) -> None:
    save_settings(Settings(provider_order=providers,
                           providers_enabled={p: p in providers for p in TWO + ["hardcover", "audnexus"]},
                           provider_urls=urls))


def unavailable(request: BaseHTTPRequestHandler) -> None:
    body = b"<html><body>Service Unavailable</body></html>"
    request.send_response(503)
    request.send_header("Content-Type", "text/html")
    request.send_header("Retry-After", "0")
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def nothing_here(request: BaseHTTPRequestHandler) -> None:
    """Open Library and Google Books answering that they know no such book."""
    body = json.dumps({"numFound": 0, "docs": [], "totalItems": 0, "kind": "books#volumes"}).encode()
    request.send_response(200)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def test_every_provider_refusing_connections_is_offline(one_book_library, bookdesk_process):  # noqa: ANN001
    # Two hosts, as in life (one host failing for both would be paused by the rate limiter).
    library_host, google_host = (f"http://127.0.0.1:{free_port()}" for _ in range(2))
    only(TWO, {"openlibrary": library_host, "openlibrary_covers": library_host, "googlebooks": google_host})

    done = bookdesk_process("identify", "--all", "--library", one_book_library, "--json", env=QUICK)

    assert done.returncode == 1, (done.stdout, done.stderr)
    [result] = json.loads(done.stdout)["results"]
    assert result["status"] == "offline", result
    assert set(result["provider_errors"]) == {"Open Library", "Google Books"}, result
    assert library_host[7:] in result["provider_errors"]["Open Library"], result
    assert google_host[7:] in result["provider_errors"]["Google Books"], result
    assert all("could not be reached" in e for e in result["provider_errors"].values()), result
    assert "No provider could be reached" in result["error"]


def test_every_provider_answering_503_is_offline_and_the_summary_says_so(one_book_library, http_server,
                                                                         bookdesk_process):  # noqa: ANN001
    down = http_server(unavailable)
    only(TWO, {"openlibrary": down, "openlibrary_covers": down, "googlebooks": down})

    done = bookdesk_process("identify", "--all", "--library", one_book_library, env=QUICK)

    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "offline" in done.stdout and "503" in done.stdout, done.stdout
    assert "0 not found" in done.stdout and "not looked up (offline" in done.stdout, done.stdout


def test_some_providers_down_and_the_others_knowing_nothing_says_both(one_book_library, http_server,
                                                                      bookdesk_process):  # noqa: ANN001
    closed = f"http://127.0.0.1:{free_port()}"
    empty = http_server(nothing_here)
    only(TWO, {"openlibrary": empty, "openlibrary_covers": empty, "googlebooks": closed})

    done = bookdesk_process("identify", "--all", "--library", one_book_library, "--json", env=QUICK)

    [result] = json.loads(done.stdout)["results"]
    assert result["status"] == "no_match", result
    [(label, message)] = result["provider_errors"].items()
    assert label.startswith("Google Books") and "could not be reached" in message, result
    assert "Google Books" in result["reason"], result
