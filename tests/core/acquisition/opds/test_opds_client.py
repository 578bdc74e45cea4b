"""The client against a scripted server on 127.0.0.1: browsing, searching, paging, passwords, and
every way a server can fail, each with a message a person can act on."""

from __future__ import annotations

import asyncio
import base64
import socket

import httpx
import pytest

from bookdesk.core.acquisition.config import OpdsCatalogConfig
from bookdesk.core.acquisition.opds import OpdsAuthError, OpdsClient, OpdsError, OpdsFeedError
from bookdesk.core.acquisition.opds.errors import OpdsServerError
from bookdesk.core.secrets import InMemorySecretStore, source_secret
from bookdesk.errors import UsageError
from tests.core.net.local_server import LocalServer, Reply
from tests.corpus import png

ATOM = "application/atom+xml;profile=opds-catalog"


def run(coro):
    return asyncio.run(coro)


def atom(body: bytes | str) -> Reply:
    return Reply(body=body if isinstance(body, bytes) else body.encode(), content_type=ATOM)


def feed(title: str, *, entries: str = "", links: str = "") -> Reply:
    return atom(f'<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:{title}</id><title>{title}</title>'
                f'{links}{entries}</feed>')


def book(title: str, href: str) -> str:
    return (f'<entry><id>urn:{title}</id><title>{title}</title><link rel="http://opds-spec.org/acquisition" '
            f'type="application/epub+zip" href="{href}"/></entry>')


def next_link(href: str) -> str:
    return f'<link rel="next" type="{ATOM}" href="{href}"/>'


async def with_client(action, **options):
    async with httpx.AsyncClient(timeout=5.0) as http:
        return await action(OpdsClient(http, **options))


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# ----- browsing and searching -----------------------------------------------------------------


def test_browsing_a_catalog_from_its_root_into_a_list_of_books(server: LocalServer, feed_bytes):
    server.route("GET", "/feeds/opds", atom(feed_bytes("standard_ebooks_root")))
    server.route("GET", "/feeds/opds/new-releases", atom(feed_bytes("standard_ebooks_new_releases")))

    async def browse(client: OpdsClient):
        root = await client.feed(f"{server.url}/feeds/opds")
        return root, await client.feed(root.entries[0].navigation_url)

    root, books = run(with_client(browse))
    assert root.entries[0].navigation_url == f"{server.url}/feeds/opds/new-releases"
    assert [b.title for b in books.books] == ["Letters Between Two Writers", "Fables"]
    assert books.entries[1].acquisitions[0].href == f"{server.url}/ebooks/anonymous/fables/downloads/fables.epub"


def test_searching_reads_the_opensearch_description_once(server: LocalServer, feed_bytes):
    server.route("GET", "/feeds/opds", atom(feed_bytes("standard_ebooks_root")))
    server.route("GET", "/ebooks/opensearch", Reply(body=feed_bytes("standard_ebooks_opensearch"),
                                                    content_type="application/opensearchdescription+xml"))
    server.route("GET", "/feeds/opds/all", feed("Results", entries=book("Fables", "/f.epub")))

    async def search_twice(client: OpdsClient):
        root = await client.feed(f"{server.url}/feeds/opds")
        return await client.search(root, "old tales"), await client.search(root, "letters")

    first, second = run(with_client(search_twice))
    assert [e.title for e in first.entries] == ["Fables"]
    assert [r.param("query") for r in server.requests_to("/feeds/opds/all")] == ["old tales", "letters"]
    assert len(server.requests_to("/ebooks/opensearch")) == 1


def test_searching_by_the_catalogs_address_alone(server: LocalServer, feed_bytes):
    server.route("GET", "/opds", atom(feed_bytes("calibre_book")))
    server.route("GET", "/opds/search/Two%20Hands", feed("Found", entries=book("Two Hands", "/get/epub/7/Books")))

    found = run(with_client(lambda c: c.search(f"{server.url}/opds", "Two Hands")))

    assert found.entries[0].acquisitions[0].href == f"{server.url}/get/epub/7/Books"
    assert server.requests_to("/opds/search/Two%20Hands")[0].param("library_id") == "Books"


def test_a_catalog_without_search_says_so_and_empty_search_text_is_a_usage_error(server: LocalServer):
    server.route("GET", "/opds", feed("No search"))

    with pytest.raises(OpdsError, match="offers no search"):
        run(with_client(lambda c: c.search(f"{server.url}/opds", "anything")))
    with pytest.raises(UsageError):
        run(with_client(lambda c: c.search(f"{server.url}/opds", "   ")))


def test_links_resolve_against_where_a_redirect_ended(server: LocalServer):
    server.route("GET", "/old", Reply(301, b"", headers={"Location": "/opds/v1.2/catalog"}))
    server.route("GET", "/opds/v1.2/catalog", feed("Moved", entries=book("Here", "books/1/file.epub")))

    moved = run(with_client(lambda c: c.feed(f"{server.url}/old")))

    assert moved.url == f"{server.url}/opds/v1.2/catalog"
    assert moved.entries[0].acquisitions[0].href == f"{server.url}/opds/v1.2/books/1/file.epub"


def test_an_address_that_is_not_http_is_a_usage_error():
    with pytest.raises(UsageError, match="http"):
        run(with_client(lambda c: c.feed("file:///etc/passwd")))


# ----- paging -----------------------------------------------------------------------------


def test_pages_follow_next_up_to_the_limit(server: LocalServer):
    for page in range(1, 6):
        server.route("GET", f"/p{page}", feed(f"Page {page}", entries=book(f"Book {page}", f"/b{page}.epub"),
                                              links=next_link(f"/p{page + 1}") if page < 5 else ""))

    three = run(with_client(lambda c: c.pages(f"{server.url}/p1", 3)))
    every = run(with_client(lambda c: c.pages(f"{server.url}/p1", 10)))

    assert [p.title for p in three] == ["Page 1", "Page 2", "Page 3"]
    assert [p.entries[0].title for p in every] == [f"Book {n}" for n in range(1, 6)]
    assert every[-1].next_url is None


def test_a_next_link_back_to_an_earlier_page_ends_the_paging(server: LocalServer):
    server.route("GET", "/a", feed("A", links=next_link("/b")))
    server.route("GET", "/b", feed("B", links=next_link("/a")))
    server.route("GET", "/c", feed("C", links=next_link("/c")))

    loop = run(with_client(lambda c: c.pages(f"{server.url}/a", 10)))
    itself = run(with_client(lambda c: c.pages(f"{server.url}/c", 10)))

    assert [p.title for p in loop] == ["A", "B"]
    assert [p.title for p in itself] == ["C"]
    assert len(server.requests_to("/c")) == 1


# ----- passwords ----------------------------------------------------------------------------


CHALLENGE = Reply(401, b"", headers={"WWW-Authenticate": 'Basic realm="Komga"'})


def test_basic_auth_answers_the_challenge_then_is_sent_from_the_start(server: LocalServer, feed_bytes):
    books = atom(feed_bytes("komga_books"))
    server.route("GET", "/opds/v1.2/series/0A1B2C3D", CHALLENGE, books)

    async def two_pages(client: OpdsClient):
        first = await client.feed(f"{server.url}/opds/v1.2/series/0A1B2C3D")
        return first, await client.feed(f"{server.url}/opds/v1.2/series/0A1B2C3D?page=1")

    first, _ = run(with_client(two_pages, username="ann", password="pa:ss wörd"))

    sent = [r.headers.get("authorization") for r in server.requests_to("/opds/v1.2/series/0A1B2C3D")]
    assert sent == [None, basic("ann", "pa:ss wörd"), basic("ann", "pa:ss wörd")]
    assert first.entries[0].title == "Night Watch 001"


def test_without_credentials_the_catalog_needs_a_user_name_and_password(server: LocalServer):
    server.route("GET", "/opds", CHALLENGE)

    with pytest.raises(OpdsAuthError, match="needs a user name and password") as caught:
        run(with_client(lambda c: c.feed(f"{server.url}/opds")))
    assert caught.value.needs_credentials and caught.value.status == 401


def test_a_wrong_password_is_named_as_such(server: LocalServer):
    server.route("GET", "/opds", CHALLENGE)

    with pytest.raises(OpdsAuthError, match="refused the password for 'ann'") as caught:
        run(with_client(lambda c: c.feed(f"{server.url}/opds"), username="ann", password="nope"))
    assert not caught.value.needs_credentials
    assert "nope" not in caught.value.message


def test_an_empty_password_is_allowed(server: LocalServer):
    """Standard Ebooks' patrons feeds take an email address as the user name and no password."""
    server.route("GET", "/feeds/opds", CHALLENGE, feed("Patrons"))

    run(with_client(lambda c: c.feed(f"{server.url}/feeds/opds"), username="ann@example.org"))

    assert server.requests_to("/feeds/opds")[-1].headers["authorization"] == basic("ann@example.org", "")


def test_the_password_never_goes_to_another_server(server: LocalServer):
    other = LocalServer().start()
    try:
        other.route("GET", "/cover.png", CHALLENGE)
        server.route("GET", "/opds", CHALLENGE, feed("Home"))

        async def browse(client: OpdsClient):
            await client.feed(f"{server.url}/opds")
            await client.cover(f"{other.url}/cover.png")

        with pytest.raises(OpdsAuthError, match="needs a user name and password"):
            run(with_client(browse, username="ann", password="secret"))
        assert all("authorization" not in r.headers for r in other.requests)
    finally:
        other.stop()


def test_forbidden_is_told_apart_from_a_wrong_password(server: LocalServer):
    server.route("GET", "/opds", Reply(403, b"Forbidden", content_type="text/plain"))

    with pytest.raises(OpdsAuthError, match=r"refused access to 'ann' \(HTTP 403\)"):
        run(with_client(lambda c: c.feed(f"{server.url}/opds"), username="ann", password="x"))


# ----- servers that fail ----------------------------------------------------------------------


def test_a_server_error_is_retryable_and_says_so(server: LocalServer):
    server.route("GET", "/opds", Reply(503, b"Service Unavailable", content_type="text/plain"))

    with pytest.raises(OpdsServerError, match=r"having trouble \(HTTP 503\); try again later") as caught:
        run(with_client(lambda c: c.feed(f"{server.url}/opds")))
    assert caught.value.retryable


def test_a_missing_feed_names_its_path(server: LocalServer):
    with pytest.raises(OpdsServerError, match=r"has nothing at /nowhere \(HTTP 404\)") as caught:
        run(with_client(lambda c: c.feed(f"{server.url}/nowhere")))
    assert not caught.value.retryable


def test_a_slow_server_times_out_clearly(server: LocalServer):
    server.route("GET", "/opds", Reply(body=b"<feed/>", delay=1.0))

    with pytest.raises(OpdsServerError, match="did not answer in time") as caught:
        run(with_client(lambda c: c.feed(f"{server.url}/opds"), timeout=0.1))
    assert caught.value.retryable


def test_nobody_listening_is_could_not_be_reached():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(OpdsServerError, match="could not be reached"):
        run(with_client(lambda c: c.feed(f"http://127.0.0.1:{port}/opds")))


def test_a_login_page_instead_of_the_feed_is_a_web_page(server: LocalServer):
    server.route("GET", "/opds", Reply(body=b"<!doctype html><html><body><form>Sign in</form></body></html>",
                                       content_type="text/html"))

    with pytest.raises(OpdsFeedError, match="web page"):
        run(with_client(lambda c: c.feed(f"{server.url}/opds")))


def test_a_huge_answer_is_refused_without_reading_it(server: LocalServer):
    server.route("GET", "/opds", atom(b"<feed>" + b" " * (17 * 1024 * 1024) + b"</feed>"))

    with pytest.raises(OpdsFeedError, match="larger than 16 MB"):
        run(with_client(lambda c: c.feed(f"{server.url}/opds")))


def test_a_dtd_named_by_a_feed_is_never_fetched(server: LocalServer):
    server.route("GET", "/feed.dtd", Reply(body=b'<!ENTITY x "boom">', content_type="application/xml-dtd"))
    server.route("GET", "/opds", atom(f'<?xml version="1.0"?><!DOCTYPE feed SYSTEM "{server.url}/feed.dtd">'
                                      '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>'))

    fetched = run(with_client(lambda c: c.feed(f"{server.url}/opds")))

    assert fetched.title == "T"
    assert server.requests_to("/feed.dtd") == []


# ----- covers -------------------------------------------------------------------------------


def test_a_cover_is_an_image_within_its_size_limit(server: LocalServer):
    image = png((200, 40, 40))
    server.route("GET", "/cover.png", Reply(body=image, content_type="image/png"))
    server.route("GET", "/error.png", Reply(body=b"<html>Not here</html>", content_type="text/html"))

    assert run(with_client(lambda c: c.cover(f"{server.url}/cover.png"))) == image
    with pytest.raises(OpdsFeedError, match="not an image"):
        run(with_client(lambda c: c.cover(f"{server.url}/error.png")))
    with pytest.raises(OpdsFeedError, match="larger than"):
        run(with_client(lambda c: c.cover(f"{server.url}/cover.png", max_bytes=len(image) - 1)))


def test_a_catalog_from_the_settings_takes_its_password_from_the_secret_store(server: LocalServer):
    catalog = OpdsCatalogConfig("Komga at home", f"{server.url}/opds/v1.2/catalog", "ann")
    secrets = InMemorySecretStore({source_secret("opds", "Komga at home"): "from the keyring"})
    server.route("GET", "/opds/v1.2/catalog", CHALLENGE, feed("Komga"))

    async def browse():
        async with httpx.AsyncClient(timeout=5.0) as http:
            return await OpdsClient.for_catalog(http, catalog, secrets).feed(catalog.url)

    assert run(browse()).title == "Komga"
    assert server.requests_to("/opds/v1.2/catalog")[-1].headers["authorization"] == basic("ann", "from the keyring")
