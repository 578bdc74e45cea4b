"""Keys on the API (none, wrong, revoked, read-only on a write), the series with their gaps, authors,
wanted, the readiness check, and jobs started and followed by their Ref, over a real server with the
library opened as ``bookdesk serve`` opens it."""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest

from bookdesk.core.api_keys import revoke
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.data.catalog_file import CATALOG_NAME
from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from tests.serve.conftest import bearer, make_key
from tests.servers.bookdesk_server import served


@pytest.fixture
def base(opened, filled_library):
    with served(build_app(ServeContext(library=filled_library, services=opened))) as url:
        yield url + "/api/v1"


def test_no_key_a_wrong_key_and_a_revoked_key_are_refused(base, filled_library):
    key = make_key(filled_library, "phone")
    assert httpx.get(f"{base}/books", headers=bearer(key)).status_code == 200
    bare = httpx.get(f"{base}/books")
    assert bare.status_code == 401 and bare.headers["www-authenticate"].startswith("Bearer")
    assert bare.json()["error"]["ref"] == bare.headers["x-request-id"]
    assert httpx.get(f"{base}/books", headers=bearer(key[:-1] + "x")).status_code == 401
    assert httpx.get(f"{base}/books", headers={"Authorization": key}).status_code == 401
    with sqlite3.connect(filled_library / CATALOG_NAME) as connection:
        revoke(connection, InMemorySecretStore(), "phone")
    assert httpx.get(f"{base}/books", headers=bearer(key)).status_code == 401


def test_a_read_only_key_may_not_start_a_job(base, filled_library):
    key = make_key(filled_library, "reader")
    answer = httpx.post(f"{base}/jobs", headers=bearer(key), json={"kind": "identify", "books": [1]})
    assert answer.status_code == 403 and "may only read" in answer.json()["error"]["message"]


def test_series_with_gaps_authors_and_wanted(base, filled_library, manifest):
    headers = bearer(make_key(filled_library, "reader"))
    series = httpx.get(f"{base}/series", headers=headers).json()["series"]
    assert {s["name"] for s in series} == {t["series"] for t in manifest if t["series"]}
    one = httpx.get(f"{base}/series/{series[0]['id']}", headers=headers).json()
    owned = sorted(f"{t['index']:g}" for t in manifest if t["series"] == series[0]["name"])
    assert one["name"] == series[0]["name"] and sorted(one["owned"]) == owned
    assert httpx.get(f"{base}/series/987654", headers=headers).status_code == 404
    authors = httpx.get(f"{base}/authors", headers=headers).json()["authors"]
    assert {a["name"] for a in authors} == {t["author"] for t in manifest}
    assert httpx.get(f"{base}/wanted", headers=headers).json() == {"wanted": []}


def test_ready_says_what_holds(base, filled_library):
    answer = httpx.get(base.removesuffix("/api/v1") + "/health/ready")
    assert answer.status_code == 200, answer.text
    checks = answer.json()["checks"]
    assert checks["catalog_writable"]["ok"] and checks["worker_alive"]["ok"] and checks["disk_space"]["ok"]
    assert checks["disk_space"]["free_bytes"] > 0


def _followed(base: str, headers: dict, ref: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        answer = httpx.get(f"{base}/jobs/{ref}", headers=headers)
        if answer.status_code == 200 and answer.json()["state"] in ("succeeded", "failed", "cancelled"):
            return answer.json()
        time.sleep(0.1)
    raise AssertionError(f"job {ref} did not end")


def test_an_import_started_through_the_api_runs_and_is_followed_by_its_ref(base, filled_library, make_book):
    headers = bearer(make_key(filled_library, "script", "write"))
    book = make_book("A Book Sent By Script", author="Ada Writer")
    answer = httpx.post(f"{base}/jobs", headers=headers, json={"kind": "import", "paths": [str(book)]})
    assert answer.status_code == 202, answer.text
    ref = answer.json()["ref"]
    assert answer.headers["location"] == f"/api/v1/jobs/{ref}"
    job = _followed(base, headers, ref)
    assert job["state"] == "succeeded" and job["kind"] == "import", job
    found = httpx.get(f"{base}/books", headers=headers, params={"search": "Sent By Script"}).json()
    assert [b["title"] for b in found["books"]] == ["A Book Sent By Script"]


@pytest.mark.parametrize("body, status", [
    ({"kind": "format-disk"}, 400), ({"kind": "import", "paths": "/"}, 400),
    ({"kind": "import", "paths": ["relative/path"]}, 400), ({"kind": "import", "paths": ["/no/such/thing"]}, 400),
    ({"kind": "identify", "books": [True]}, 400), ({"kind": "identify", "books": list(range(1001))}, 400),
    ({"kind": "download", "url": "file:///etc/passwd"}, 400), (["import"], 400),
    ({"kind": "identify", "books": [10**23]}, 400), ({"kind": "identify", "books": [0]}, 400),
    ({"kind": "download", "url": "http://127.0.0.1:9/a.epub", "book": 10**23}, 400),
])
def test_hostile_job_bodies_are_refused(base, filled_library, body, status):
    headers = bearer(make_key(filled_library, "script", "write"))
    answer = httpx.post(f"{base}/jobs", headers=headers, json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["ref"] == answer.headers["x-request-id"]


def test_bodies_too_big_or_not_json_are_refused(base, filled_library):
    headers = bearer(make_key(filled_library, "script", "write"))
    big = httpx.post(f"{base}/jobs", headers={**headers, "Content-Type": "application/json"},
                     content=b"[" + b"1," * 50_000 + b"1]")
    assert big.status_code == 413
    assert httpx.post(f"{base}/jobs", headers=headers, content=b"kind=sync").status_code == 415
    garbled = httpx.post(f"{base}/jobs", headers={**headers, "Content-Type": "application/json"}, content=b"{nope")
    assert garbled.status_code == 400
    assert httpx.get(f"{base}/jobs/BD-00000", headers=headers).status_code == 404
    assert httpx.get(f"{base}/jobs/..%2F..", headers=headers).status_code == 404


def test_a_download_started_through_the_api_is_fetched_imported_and_followed(base, filled_library, make_book):
    from tests.servers.http_harness import LocalHttpServer

    body = make_book("Fetched For A Script", author="Kay Netter").read_bytes()

    def answer(handler) -> None:  # noqa: ANN001 - the stdlib's handler
        handler.send_response(200)
        handler.send_header("Content-Type", "application/epub+zip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    headers = bearer(make_key(filled_library, "fetcher", "write"))
    with LocalHttpServer(answer) as books_site:
        started = httpx.post(f"{base}/jobs", headers=headers,
                             json={"kind": "download", "url": f"{books_site.url}/fetched.epub"})
        assert started.status_code == 202, started.text
        ref = started.json()["ref"]
        assert ref == started.headers["x-request-id"]  # the download is the request's own Ref
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = httpx.get(f"{base}/jobs/{ref}", headers=headers).json().get("state")
            if state in ("imported", "failed", "cancelled"):
                break
            time.sleep(0.1)
    assert state == "imported"
    found = httpx.get(f"{base}/books", headers=headers, params={"search": "Fetched For A Script"}).json()
    assert found["total"] == 1
