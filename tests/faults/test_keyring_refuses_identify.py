"""A keyring that refuses to give Hardcover's token does not end ``bookdesk identify``: Hardcover is left
out of that run with one note saying so, and the other providers are asked."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

from bookdesk.core.settings import Settings, save_settings
from tests.faults.one_book import one_book_library_fixture  # noqa: F401 - a fixture
from tests.faults.test_providers_offline import nothing_here

REFUSING = {"PYTHON_KEYRING_BACKEND": "tests.fakes.refusing_keyring.RefusingKeyring"}
SKIPPED = "Hardcover skipped: your keyring did not give its token"


def test_hardcover_is_skipped_and_open_library_asked(one_book_library, bookdesk_process, http_server):  # noqa: ANN001
    asked: list[str] = []

    def open_library(request: BaseHTTPRequestHandler) -> None:
        asked.append(request.path)
        nothing_here(request)

    def hardcover(request: BaseHTTPRequestHandler) -> None:  # never reached: no token to send
        asked.append("hardcover")
        nothing_here(request)

    library_host, hardcover_host = http_server(open_library), http_server(hardcover)
    save_settings(Settings(provider_order=["hardcover", "openlibrary"],
                           providers_enabled={"hardcover": True, "openlibrary": True, "googlebooks": False,
                                              "audnexus": False},
                           provider_urls={"openlibrary": library_host, "openlibrary_covers": library_host,
                                          "hardcover": f"{hardcover_host}/v1/graphql"}))

    done = bookdesk_process("identify", "--all", "--library", one_book_library, env=REFUSING)
    as_json = bookdesk_process("identify", "--all", "--library", one_book_library, "--json", env=REFUSING)

    assert done.returncode == 0, (done.stdout, done.stderr)
    assert SKIPPED in done.stdout.splitlines()[-1]  # in the summary line
    assert (done.stdout + done.stderr).count("Hardcover") == 1, done  # one clear message, not two
    assert "1 not found" in done.stdout  # Open Library was asked, and knew no such book
    assert asked and "hardcover" not in asked
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["results"][0]["status"] == "no_match", as_json.stdout
    assert f"note: {SKIPPED}" in as_json.stderr  # no summary line there: a note says it
