"""``/api/v1/books``: a script's view of a real library, through a real server: list, search, sort, page,
one book, its cover and files; hostile query strings and huge pages refused with 400."""

from __future__ import annotations

import httpx
import pytest

from bookdesk.data.work_listing import work_ids
from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from tests.serve.conftest import bearer, make_key
from tests.servers.bookdesk_server import served


@pytest.fixture
def api(filled_library):
    key = make_key(filled_library, "script")
    with served(build_app(ServeContext(library=filled_library))) as base, \
            httpx.Client(base_url=base + "/api/v1", headers=bearer(key)) as client:
        yield client


def test_the_list_pages_through_every_book_in_the_windows_order(api, manifest, filled_library):
    seen, page = [], 1
    while True:
        answer = api.get("/books", params={"per_page": 5, "page": page})
        assert answer.status_code == 200, answer.text
        document = answer.json()
        assert document["total"] == len(manifest) and document["per_page"] == 5
        if not document["books"]:
            break
        seen += document["books"]
        page += 1
    assert len(seen) == len(manifest) and len({b["id"] for b in seen}) == len(manifest)
    assert {b["title"] for b in seen} == {t["title"] for t in manifest}
    with ServeContext(library=filled_library).reading() as connection:
        assert [b["id"] for b in seen] == work_ids(connection, sort="title")


def test_search_and_sort_find_what_the_window_finds(api, manifest):
    target = manifest[0]
    found = api.get("/books", params={"search": target["isbn"]}).json()
    assert [b["title"] for b in found["books"]] == [target["title"]] and found["total"] == 1
    newest = api.get("/books", params={"sort": "added", "order": "desc", "per_page": 200}).json()["books"]
    oldest = api.get("/books", params={"sort": "added", "order": "asc", "per_page": 200}).json()["books"]
    assert [b["added"] for b in newest] == sorted((b["added"] for b in oldest), reverse=True)
    assert api.get("/books", params={"shelf": "wanted"}).json() == {"total": 0, "page": 1, "per_page": 50,
                                                                   "books": []}


def test_one_book_its_file_and_ranges(api, filled_library, manifest):
    listed = api.get("/books", params={"search": manifest[0]["isbn"]}).json()["books"][0]
    book = api.get(f"/books/{listed['id']}").json()
    assert book == listed
    assert book["identifiers"]["isbn"] == manifest[0]["isbn"] and book["authors"] == [manifest[0]["author"]]
    [file] = book["files"]
    whole = api.get(file["href"].removeprefix("/api/v1"))
    assert whole.status_code == 200 and len(whole.content) == file["size"]
    assert whole.content[:2] == b"PK"  # an EPUB is a zip
    part = api.get(file["href"].removeprefix("/api/v1"), headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == whole.content[:10]
    assert api.get(f"/books/{book['id']}/files/999999").status_code == 404


@pytest.mark.parametrize("address, status", [
    ("/books/999999", 404), ("/books/99999999999999999999", 404), ("/books/0", 404), ("/books/abc", 404),
    ("/books/1/files/..%2F..%2Fetc%2Fpasswd", 404), ("/nowhere", 404),
    ("/books/99999999999999999999/cover", 404), ("/books/1/files/99999999999999999999", 404),
    ("/series/99999999999999999999", 404),
])
def test_what_is_not_there_is_a_json_404_with_its_ref(api, address, status):
    answer = api.get(address)
    assert answer.status_code == status
    assert answer.json()["error"]["ref"] == answer.headers["x-request-id"]


@pytest.mark.parametrize("params, words", [
    ({"per_page": "201"}, "per_page"), ({"per_page": "0"}, "per_page"), ({"per_page": "1e9"}, "per_page"),
    ({"page": "-1"}, "page"), ({"page": "99999999999999999999999"}, "page"),
    ({"sort": "title; DROP TABLE works"}, "sort"), ({"order": "sideways"}, "order"), ({"shelf": "x"}, "shelf"),
    ({"search": "a" * 300}, "too long"), ({"search": "a\x00b"}, "control"), ({"evil": "1"}, "Unknown parameter"),
    ({"q": "x" * 3000}, "longer than"),
])
def test_hostile_query_strings_and_huge_pages_are_refused(api, params, words):
    answer = api.get("/books", params=params)
    assert answer.status_code == 400, answer.text
    assert words in answer.json()["error"]["message"]
    assert "Traceback" not in answer.text


def test_a_parameter_given_twice_is_refused(api):
    answer = api.get("/books?page=1&page=2")
    assert answer.status_code == 400 and "more than once" in answer.json()["error"]["message"]


def test_the_openapi_document_names_every_address(api):
    document = api.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/books", "/api/v1/books/{book_id}", "/api/v1/series", "/api/v1/authors", "/api/v1/wanted",
            "/api/v1/jobs", "/api/v1/jobs/{ref}"} <= set(document["paths"])
    assert "post" in document["paths"]["/api/v1/jobs"]
