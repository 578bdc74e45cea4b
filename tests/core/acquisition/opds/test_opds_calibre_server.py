"""A real calibre content server on 127.0.0.1: browse, page, search, download, with and without a
password (Digest, calibre's own choice without TLS, and Basic)."""

from __future__ import annotations

import asyncio
import io
import zipfile

import httpx
import pytest

from bookdesk.core.acquisition.opds import OpdsAuthError, OpdsClient, OpdsFeed
from tests.servers.calibre_server import PASSWORD, USER, CalibreServer, requires_calibre

pytestmark = requires_calibre


def run(coro):
    return asyncio.run(coro)


async def with_client(action, **options):
    async with httpx.AsyncClient(timeout=30.0) as http:
        return await action(OpdsClient(http, **options))


def navigation(feed: OpdsFeed, title: str) -> str:
    (url,) = [e.navigation_url for e in feed.entries if e.title == title]
    assert url is not None
    return url


def test_the_root_is_a_navigation_feed_with_search(calibre_server: CalibreServer):
    root = run(with_client(lambda c: c.feed(calibre_server.opds_url)))

    assert root.title == "calibre Library"
    assert not root.is_acquisition_feed
    assert {"By Newest", "By Title", "By Authors"} <= {e.title for e in root.entries}
    assert all(e.navigation_url and e.navigation_url.startswith(calibre_server.url) for e in root.entries)
    assert root.search_template is not None and "{searchTerms}" in root.search_template


def test_by_title_lists_every_book_over_pages_of_two(calibre_server: CalibreServer, calibre_library):
    _, truth = calibre_library

    async def by_title(client: OpdsClient):
        root = await client.feed(calibre_server.opds_url)
        return await client.pages(navigation(root, "By Title"), 10)

    pages = run(with_client(by_title))

    assert [len(p.entries) for p in pages] == [2, 2, 1], "five books, two to a page"
    assert pages[0].next_url is not None and pages[-1].next_url is None
    books = {e.title: e for p in pages for e in p.entries}
    assert set(books) == {t["title"] for t in truth}
    for known in truth:
        entry = books[known["title"]]
        assert entry.authors == (known["author"],)
        assert [(a.format, a.type) for a in entry.acquisitions] == [("epub", "application/epub+zip")]
        assert entry.acquisitions[0].href.startswith(calibre_server.url + "/get/epub/")
        assert entry.acquisitions[0].size and entry.acquisitions[0].size > 0
        assert entry.cover_url and entry.thumbnail_url
        if known["series"]:
            assert (entry.series, entry.series_index) == (known["series"], float(known["index"]))
        else:
            assert entry.series is None


def test_by_authors_leads_through_an_author_to_their_books(calibre_server: CalibreServer, calibre_library):
    _, truth = calibre_library
    author = truth[0]["author"]

    async def by_author(client: OpdsClient):
        root = await client.feed(calibre_server.opds_url)
        authors = [e for p in await client.pages(navigation(root, "By Authors"), 10) for e in p.entries]
        (entry,) = [e for e in authors if e.title == author]
        return [e for p in await client.pages(entry.navigation_url, 10) for e in p.entries]

    books = run(with_client(by_author))

    assert sorted(b.title for b in books) == sorted(t["title"] for t in truth if t["author"] == author)


def test_searching_by_title_finds_the_book(calibre_server: CalibreServer, calibre_library):
    _, truth = calibre_library
    wanted = truth[2]["title"]

    results = run(with_client(lambda c: c.search(calibre_server.opds_url, wanted)))

    assert wanted in [e.title for e in results.entries]
    assert all(e.acquisitions for e in results.entries)


def test_an_acquisition_link_downloads_the_epub_and_the_cover_is_an_image(calibre_server: CalibreServer):
    async def fetch(client: OpdsClient):
        found = await client.search(calibre_server.opds_url, "Shadow")
        entry = found.books[0]
        response = await client.http.get(entry.best_acquisition().href, auth=client.auth or httpx.USE_CLIENT_DEFAULT)
        return response, await client.cover(entry.cover_url)

    response, cover = run(with_client(fetch))

    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(response.content)) as epub:
        assert epub.namelist()[0] == "mimetype"
        assert epub.read("mimetype") == b"application/epub+zip"
    assert cover[:3] == b"\xff\xd8\xff", "calibre serves covers as JPEG"


@pytest.mark.parametrize("server_fixture", ["calibre_digest_server", "calibre_basic_server"])
def test_the_right_password_opens_the_catalog_and_its_downloads(server_fixture, request):
    server: CalibreServer = request.getfixturevalue(server_fixture)

    async def browse(client: OpdsClient):
        found = await client.search(server.opds_url, "Shadow")
        download = await client.http.get(found.books[0].best_acquisition().href, auth=client.auth)
        return found, download, client.auth.scheme

    found, download, scheme = run(with_client(browse, username=USER, password=PASSWORD))

    assert found.books
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert scheme == server.auth_mode, "the client answers in the scheme the server asked for"


@pytest.mark.parametrize("server_fixture", ["calibre_digest_server", "calibre_basic_server"])
def test_a_wrong_password_or_none_is_told_clearly(server_fixture, request):
    server: CalibreServer = request.getfixturevalue(server_fixture)

    with pytest.raises(OpdsAuthError, match=f"refused the password for '{USER}'") as wrong:
        run(with_client(lambda c: c.feed(server.opds_url), username=USER, password="not it"))
    with pytest.raises(OpdsAuthError, match="needs a user name and password") as missing:
        run(with_client(lambda c: c.feed(server.opds_url)))

    assert not wrong.value.needs_credentials and missing.value.needs_credentials
