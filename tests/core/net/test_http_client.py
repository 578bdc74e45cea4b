"""The HTTP client against a real local server: caching, retries, and clear words for bad answers."""

from __future__ import annotations

import asyncio
import json
import logging
import socket

import pytest

from bookdesk import correlation
from bookdesk.core.net.errors import NetworkError, NotFound
from tests.core.net.local_server import LocalServer, Reply
from tests.fakes.clock import FakeClock

BOOK = {"title": "A Wizard of Earthsea", "authors": ["Ursula K. Le Guin"]}


def run(coro):
    return asyncio.run(coro)


def test_an_answer_is_read_and_a_second_ask_costs_no_request(server: LocalServer, net) -> None:
    server.route("GET", "/book", Reply(body=BOOK))

    async def go():
        async with net() as client:
            first = await client.get_json(f"{server.url}/book", params={"id": "1"})
            second = await client.get_json(f"{server.url}/book", params={"id": "1"})
            return first, second, client.requests_sent

    first, second, sent = run(go())
    assert first == second == BOOK
    assert sent == 1 and len(server.requests) == 1
    assert server.requests[0].param("id") == "1"
    assert "+http" in server.requests[0].headers["user-agent"]  # names the app and where to reach it


def test_a_stale_answer_is_revalidated_and_a_304_keeps_it(server: LocalServer, net, clock: FakeClock) -> None:
    server.route("GET", "/book", Reply(body=BOOK, headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}),
                 Reply(304, headers={"ETag": '"v1"'}))

    async def go():
        async with net() as client:
            await client.get_json(f"{server.url}/book", max_age=60)
            clock.advance(120)
            again = await client.get_json(f"{server.url}/book", max_age=60)
            third = await client.get_json(f"{server.url}/book", max_age=60)  # fresh again after the 304
            return again, third

    again, third = run(go())
    assert again == third == BOOK
    assert len(server.requests) == 2
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert server.requests[1].headers["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_a_stale_answer_stands_in_when_the_server_is_down(server: LocalServer, net, clock: FakeClock) -> None:
    server.route("GET", "/book", Reply(body=BOOK), Reply(503, "<html>down</html>", content_type="text/html"))

    async def go():
        async with net(max_attempts=2) as client:
            await client.get_json(f"{server.url}/book", max_age=60)
            clock.advance(3600)
            return await client.get_json(f"{server.url}/book", max_age=60)

    assert run(go()) == BOOK
    assert len(server.requests) == 3


def test_a_stale_answer_stands_in_when_the_server_is_unreachable(net, clock: FakeClock) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/book"

    async def go():
        async with net(max_attempts=2) as client:
            client.cache.put("GET", url, status=200, content=json.dumps(BOOK).encode())
            clock.advance(30 * 86400)
            return await client.get_json(url, max_age=60)

    assert run(go()) == BOOK


def test_an_unreachable_server_without_a_stored_answer_is_a_clear_error(net) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def go():
        async with net(max_attempts=2) as client:
            await client.get_json(f"http://127.0.0.1:{port}/book", service="Open Library")

    with pytest.raises(NetworkError) as caught:
        run(go())
    assert "Open Library" in caught.value.message and f"127.0.0.1:{port}" in caught.value.message
    assert "could not be reached" in caught.value.message and caught.value.retryable


@pytest.mark.parametrize("reply, words", [
    (Reply(body=b'{"title": "A Wizard'), "malformed JSON"),
    (Reply(body="<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"), "web page"),
    (Reply(body="<html><body>Oops</body></html>", content_type="application/json"), "web page"),
    (Reply(body=b""), "empty answer"),
])
def test_an_unusable_answer_is_a_clear_error_naming_the_server(server: LocalServer, net, reply: Reply,
                                                               words: str) -> None:
    server.route("GET", "/book", reply)

    async def go():
        async with net() as client:
            await client.get_json(f"{server.url}/book", service="Open Library")

    with pytest.raises(NetworkError) as caught:
        run(go())
    assert words in caught.value.message and server.host in caught.value.message
    assert len(server.requests) == 1  # the same request would get the same answer


def test_a_truncated_body_is_retried_then_a_clear_error(server: LocalServer, net) -> None:
    server.route("GET", "/book", Reply(body=json.dumps(BOOK), truncate=True))

    async def go():
        async with net(max_attempts=3) as client:
            await client.get_json(f"{server.url}/book")

    with pytest.raises(NetworkError) as caught:
        run(go())
    assert "truncated" in caught.value.message and server.host in caught.value.message
    assert len(server.requests) == 3


def test_an_answer_over_the_limit_is_refused_unread(server: LocalServer, net) -> None:
    server.route("GET", "/book", Reply(body=json.dumps({"description": "x" * 3_000_000})))

    async def go():
        async with net() as client:
            await client.get_json(f"{server.url}/book")

    with pytest.raises(NetworkError) as caught:
        run(go())
    assert "larger than 2 MB" in caught.value.message and server.host in caught.value.message


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_is_not_retried(server: LocalServer, net, status: int) -> None:
    server.route("POST", "/graphql", Reply(status, {"error": "Unable to verify token"}))

    async def go():
        async with net() as client:
            await client.post_json(f"{server.url}/graphql", body={"query": "{ me { id } }"},
                                   headers={"Authorization": "Bearer s3cret"}, service="Hardcover")

    with pytest.raises(NetworkError) as caught:
        run(go())
    assert caught.value.message.startswith("Hardcover") and "refused the token" in caught.value.message
    assert not caught.value.retryable and caught.value.status == status
    assert len(server.requests) == 1


def test_429_with_retry_after_waits_as_told_then_succeeds(server: LocalServer, net, clock: FakeClock) -> None:
    server.route("GET", "/book", Reply(429, {"error": "Throttled"}, headers={"Retry-After": "20"}), Reply(body=BOOK))

    async def go():
        async with net() as client:
            start = clock.monotonic()
            book = await client.get_json(f"{server.url}/book")
            return book, clock.monotonic() - start

    book, waited = run(go())
    assert book == BOOK and len(server.requests) == 2
    assert waited >= 20


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_with_backoff(server: LocalServer, net, clock: FakeClock, status: int) -> None:
    server.route("GET", "/book", Reply(status, "<html>busy</html>", content_type="text/html"),
                 Reply(status, {"error": "busy"}), Reply(body=BOOK))

    async def go():
        async with net() as client:
            return await client.get_json(f"{server.url}/book")

    assert run(go()) == BOOK
    assert len(server.requests) == 3
    assert clock.sleeps  # it waited between attempts


def test_a_server_that_never_answers_in_time_is_a_clear_error_after_every_attempt(server: LocalServer, net) -> None:
    server.route("GET", "/slow", Reply(body=BOOK, delay=1.0))

    async def go():
        async with net(timeout=0.2, max_attempts=2) as client:
            await client.get_json(f"{server.url}/slow", service="Audnexus")

    with pytest.raises(NetworkError) as caught:
        run(go())
    assert "Audnexus" in caught.value.message and "did not answer in time" in caught.value.message
    assert caught.value.retryable
    assert len(server.requests) == 2


def test_not_found_is_its_own_error_and_is_remembered(server: LocalServer, net) -> None:
    async def go():
        async with net() as client:
            for _ in range(2):
                with pytest.raises(NotFound):
                    await client.get_json(f"{server.url}/books/B000000000")

    run(go())
    assert len(server.requests) == 1


def test_graphql_posts_are_cached_by_body(server: LocalServer, net) -> None:
    server.route("POST", "/graphql", Reply(body={"data": {"books": []}}))

    async def go():
        async with net() as client:
            for query in ("query A", "query A", "query B"):
                await client.post_json(f"{server.url}/graphql", body={"query": query},
                                       headers={"Authorization": "Bearer s3cret"})

    run(go())
    assert len(server.requests) == 2
    assert server.requests[0].json() == {"query": "query A"}
    assert server.requests[0].headers["authorization"] == "Bearer s3cret"


def test_a_graphql_error_answer_is_not_kept(server: LocalServer, net) -> None:
    server.route("POST", "/graphql", Reply(body={"errors": [{"message": "timeout"}]}),
                 Reply(body={"data": {"books": []}}))

    async def go():
        async with net() as client:
            first = await client.post_json(f"{server.url}/graphql", body={"query": "q"})
            second = await client.post_json(f"{server.url}/graphql", body={"query": "q"})
            return first, second

    first, second = run(go())
    assert "errors" in first and second == {"data": {"books": []}}


def test_a_used_up_daily_quota_is_reported_and_the_host_left_alone(server: LocalServer, net, limiter) -> None:
    quota = {"error": {"code": 429, "message": "Quota exceeded",
                       "errors": [{"reason": "dailyLimitExceeded", "domain": "usageLimits"}]}}
    server.route("GET", "/books/v1/volumes", Reply(403, quota))

    async def go():
        async with net() as client:
            with pytest.raises(NetworkError) as caught:
                await client.get_json(f"{server.url}/books/v1/volumes", params={"q": "isbn:1"}, service="Google Books")
            return caught.value

    error = run(go())
    assert "quota" in error.message and error.retryable
    assert len(server.requests) == 1
    assert limiter.status(server.host).wait >= 3000


def test_covers_are_read_as_bytes_and_refused_past_the_cap(server: LocalServer, net) -> None:
    jpeg = b"\xff\xd8\xff\xe0" + bytes(5000)
    server.route("GET", "/b/id/1-L.jpg", Reply(body=jpeg, content_type="image/jpeg"))

    async def go():
        async with net() as client:
            cover = await client.get_bytes(f"{server.url}/b/id/1-L.jpg")
            with pytest.raises(NetworkError) as caught:
                await client.get_bytes(f"{server.url}/b/id/1-L.jpg", max_bytes=1000)
            with pytest.raises(NotFound):
                await client.get_bytes(f"{server.url}/b/isbn/9780000000002-L.jpg")
            return cover, caught.value

    cover, error = run(go())
    assert cover == jpeg
    assert "larger than" in error.message


def test_each_request_is_logged_with_its_job_and_without_secrets(server: LocalServer, net,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    server.route("GET", "/books/v1/volumes", Reply(body={"items": []}))
    caplog.set_level(logging.DEBUG, logger="bookdesk.core.net")

    async def go():
        async with net() as client:
            with correlation.bound("BD-7K3Q9"):
                await client.get_json(f"{server.url}/books/v1/volumes", params={"q": "dune", "key": "SECRET-KEY"},
                                      headers={"Authorization": "Bearer SECRET-TOKEN"})
                await client.get_json(f"{server.url}/books/v1/volumes", params={"q": "dune", "key": "SECRET-KEY"})

    run(go())
    records = [r for r in caplog.records if r.name == "bookdesk.core.net.client"]
    assert len(records) == 2
    sent, cached = records
    assert sent.correlation_id == "BD-7K3Q9" and sent.status == 200 and sent.host == server.host
    assert sent.path == "/books/v1/volumes" and not sent.from_cache and isinstance(sent.ms, int)
    assert cached.from_cache
    assert "SECRET" not in caplog.text
    assert server.requests[0].param("key") == "SECRET-KEY"  # the key did go to the server


def test_a_client_without_a_user_agent_of_its_own_still_names_bookdesk(server: LocalServer, limiter) -> None:
    import httpx

    from bookdesk.core.net.client import HttpClient

    server.route("GET", "/book", Reply(body=BOOK))

    async def go():
        async with httpx.AsyncClient() as http:
            await HttpClient(http, limiter).get_json(f"{server.url}/book")

    run(go())
    assert server.requests[0].headers["user-agent"].startswith("BookDesk/")
