"""A secret given to BookDesk (a password in an address, an indexer's key in a download link, a
provider token a server echoes back) shows up nowhere BookDesk writes: not in the catalog or its
WAL, the log, the settings, the cache, a problem report, nor on the screen.

Each test runs the real ``bookdesk`` command against a local server and then sweeps every file
of the run, and what the command printed, for the secret's exact bytes.
"""

from __future__ import annotations

import base64
import json
import os
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import write_epub
from tests.faults.conftest import sweep_for_secrets

PASSWORD = "s3cretpass"
API_KEY = "KEY123"
TOKEN = "hc-T0KEN-9f8e7d6c5b4a"
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # this machine's case: none at all
OPDS_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:test</id><title>Private shelf</title><updated>2024-01-01T00:00:00Z</updated>
  <link rel="self" href="/opds"/>
  <link rel="next" href="/opds?page=2"/>
  <entry><id>urn:b1</id><title>Hidden Book</title><updated>2024-01-01T00:00:00Z</updated>
    <author><name>Ann Author</name></author>
    <link rel="http://opds-spec.org/acquisition" href="/get/1.epub" type="application/epub+zip"/>
  </entry>
</feed>"""


def _user_folders() -> list[Path]:
    return [Path(os.environ[name]) for name in ("BOOKDESK_LOG_DIR", "BOOKDESK_CONFIG_DIR", "BOOKDESK_CACHE_DIR")]


def _sweep(folders: list[Path], outputs: list[str], secrets: list[str]) -> list[str]:
    hits = sweep_for_secrets([*folders, *_user_folders()], secrets)
    for n, text in enumerate(outputs):
        hits += [f"output {n}: {s}" for s in secrets if s in text]
    return hits


def _authorized(request: BaseHTTPRequestHandler) -> bool:
    expected = "Basic " + base64.b64encode(f"reader:{PASSWORD}".encode()).decode()
    return request.headers.get("Authorization") == expected


def _challenge(request: BaseHTTPRequestHandler) -> None:
    request.send_response(401)
    request.send_header("WWW-Authenticate", 'Basic realm="shelf"')
    request.send_header("Content-Length", "0")
    request.end_headers()


def _answer(request: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str) -> None:
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def _report(tmp_path: Path) -> str:
    """A problem report of the last log lines, as the Help menu writes it."""
    from bookdesk.core.problem_report import write_report
    from bookdesk.core.settings import load_settings

    dest = write_report(None, tmp_path / "reports" / "report.txt", settings=load_settings(),
                        log_folder=Path(os.environ["BOOKDESK_LOG_DIR"]))
    return dest.read_text(encoding="utf-8")


def test_fetch_with_a_password_and_an_api_key_in_the_address_keeps_them_out_of_every_file(
        bookdesk_process, http_server, tmp_path):
    book = write_epub(tmp_path / "src" / "book.epub",
                      "<dc:title>Locked Book</dc:title><dc:creator>Ann Author</dc:creator><dc:language>en</dc:language>")

    def serve(request: BaseHTTPRequestHandler) -> None:
        if not _authorized(request):
            _challenge(request)
        elif parse_qs(urlsplit(request.path).query).get("apikey") != [API_KEY]:
            _answer(request, 403, f"denied: {request.path}".encode(), "text/plain")
        else:
            _answer(request, 200, book.read_bytes(), "application/epub+zip")

    base = http_server(serve)
    url = base.replace("http://", f"http://reader:{PASSWORD}@") + f"/book.epub?apikey={API_KEY}&id=7"
    library = tmp_path / "Library"

    fetched = bookdesk_process("fetch", url, "--library", library, env=NO_KEYRING)
    listed = bookdesk_process("downloads", "--library", library, "--json", env=NO_KEYRING)

    assert fetched.returncode == 0, fetched.stderr  # the credentials were put back for the request
    assert "no keyring here" in fetched.stderr  # and the person knows they were kept for this run only
    assert json.loads(listed.stdout)["downloads"][0]["state"] == "imported"
    outputs = [fetched.stdout, fetched.stderr, listed.stdout, listed.stderr, _report(tmp_path)]
    assert _sweep([library, tmp_path / "reports"], outputs, [PASSWORD, API_KEY]) == []


def test_a_refused_fetch_says_so_without_the_password(bookdesk_process, http_server, tmp_path):
    def refuse(request: BaseHTTPRequestHandler) -> None:
        _answer(request, 403, b"no", "text/plain")

    base = http_server(refuse)
    url = base.replace("http://", f"http://reader:{PASSWORD}@") + f"/book.epub?apikey={API_KEY}"
    library = tmp_path / "Library"

    fetched = bookdesk_process("fetch", url, "--library", library, "--json", env=NO_KEYRING)

    assert fetched.returncode == 1
    item = json.loads(fetched.stdout)["items"][0]
    assert item["status"] == "failed" and "refused" in item["error"]
    assert _sweep([library], [fetched.stdout, fetched.stderr, _report(tmp_path)], [PASSWORD, API_KEY]) == []


@pytest.mark.parametrize("status", [200, 500])
def test_opds_with_a_password_in_the_address_keeps_it_out_of_every_file(bookdesk_process, http_server, tmp_path,
                                                                         status):
    def serve(request: BaseHTTPRequestHandler) -> None:
        if not _authorized(request):
            _challenge(request)
            return
        body = OPDS_FEED.encode() if status == 200 else f"broken for reader:{PASSWORD}".encode()
        _answer(request, status, body, "application/atom+xml" if status == 200 else "text/plain")

    base = http_server(serve)
    url = base.replace("http://", f"http://reader:{PASSWORD}@") + "/opds"

    shown = bookdesk_process("opds", url, env=NO_KEYRING)
    as_json = bookdesk_process("opds", url, "--json", env=NO_KEYRING)

    if status == 200:
        assert shown.returncode == 0, shown.stderr
        assert "Hidden Book" in shown.stdout
        assert json.loads(as_json.stdout)["entries"][0]["title"] == "Hidden Book"
    else:
        assert shown.returncode == 1 and "Ref BD-" in shown.stderr
    outputs = [shown.stdout, shown.stderr, as_json.stdout, as_json.stderr, _report(tmp_path)]
    assert _sweep([tmp_path / "reports"], outputs, [PASSWORD]) == []


@pytest.mark.parametrize("status", [200, 401, 500])
def test_a_token_echoed_by_a_provider_is_masked_everywhere(bookdesk_process, http_server, tmp_path, status):
    def echo(request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        if length:
            request.rfile.read(length)
        said = request.headers.get("Authorization") or "none"
        if status == 200:  # GraphQL puts its errors in a 200
            body = json.dumps({"errors": [{"message": f"token {said} is not valid for {TOKEN}"}]})
        else:
            body = json.dumps({"error": f"bad credentials: {said}", "token": TOKEN})
        _answer(request, status, body.encode(), "application/json")

    base = http_server(echo)
    env = {**NO_KEYRING, "BOOKDESK_HARDCOVER_TOKEN": TOKEN, "BOOKDESK_HARDCOVER_URL": f"{base}/v1/graphql",
           "BOOKDESK_OPENLIBRARY_URL": f"{base}/ol", "BOOKDESK_GOOGLEBOOKS_URL": f"{base}/gb",
           "BOOKDESK_AUDNEXUS_URL": f"{base}/ax"}
    library = tmp_path / "Library"
    write_epub(tmp_path / "incoming" / "book.epub",
               "<dc:title>Echo Book</dc:title><dc:creator>Ann Author</dc:creator><dc:language>en</dc:language>")
    imported = bookdesk_process("import", tmp_path / "incoming", "--library", library, "--json", env=env)
    assert imported.returncode == 0, imported.stderr

    shown = bookdesk_process("identify", "--all", "--library", library, env=env, timeout=300)
    as_json = bookdesk_process("identify", "--all", "--library", library, "--json", env=env, timeout=300)

    assert shown.returncode in (0, 1), shown.stderr
    outputs = [shown.stdout, shown.stderr, as_json.stdout, as_json.stderr, _report(tmp_path)]
    assert _sweep([library, tmp_path / "reports"], outputs, [TOKEN]) == []


@pytest.mark.parametrize("param", ["jackett_apikey", "passkey", "authkey", "torrent_pass"])
def test_a_tracker_link_keeps_its_key_out_of_every_file_whatever_the_tracker_calls_it(
        bookdesk_process, http_server, tmp_path, param):
    # Jackett's download links carry its key as jackett_apikey; private trackers name theirs their own way.
    key = f"trk-{param}-7c41e9"
    book = write_epub(tmp_path / "src" / "book.epub",
                      "<dc:title>Tracked Book</dc:title><dc:creator>Ann Author</dc:creator><dc:language>en</dc:language>")

    def serve(request: BaseHTTPRequestHandler) -> None:
        if parse_qs(urlsplit(request.path).query).get(param) != [key]:
            _answer(request, 403, f"denied: {request.path}".encode(), "text/plain")
        else:
            _answer(request, 200, book.read_bytes(), "application/epub+zip")

    url = http_server(serve) + f"/dl/tracked?{param}={key}&path=Q2lwaGVy&file=Tracked+Book.epub"
    library = tmp_path / "Library"

    fetched = bookdesk_process("fetch", url, "--library", library, "--json", env=NO_KEYRING)
    listed = bookdesk_process("downloads", "--library", library, "--json", env=NO_KEYRING)

    assert fetched.returncode == 0, fetched.stderr  # the key was put back for the request
    assert json.loads(listed.stdout)["downloads"][0]["state"] == "imported"
    outputs = [fetched.stdout, fetched.stderr, listed.stdout, listed.stderr, _report(tmp_path)]
    assert _sweep([library, tmp_path / "reports"], outputs, [key]) == []
