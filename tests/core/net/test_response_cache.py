"""The on-disk response cache: fresh or stale, capped, thread-safe, secret-free, and never fatal."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from bookdesk.core.net.cache import FILE_NAME, ResponseCache
from tests.fakes.clock import FakeClock

URL = "https://www.googleapis.com/books/v1/volumes?q=isbn:9780547773742&key=SECRET-KEY-123"


def test_an_answer_is_fresh_within_its_age_and_stale_after(cache_dir: Path, clock: FakeClock) -> None:
    cache = ResponseCache(cache_dir, clock=clock.wall)
    cache.put("GET", URL, status=200, content=b'{"a": 1}', etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")

    fresh = cache.get("GET", URL, max_age=3600)
    assert fresh is not None and fresh.fresh and fresh.content == b'{"a": 1}'

    clock.advance(3601)
    stale = cache.get("GET", URL, max_age=3600)
    assert stale is not None and not stale.fresh
    assert stale.validators == {"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}

    cache.refresh("GET", URL, etag='"v2"')  # the server said 304
    refreshed = cache.get("GET", URL, max_age=3600)
    assert refreshed is not None and refreshed.fresh and refreshed.etag == '"v2"'
    assert cache.get("GET", URL.replace("9780547773742", "9780000000002"), max_age=3600) is None


def test_requests_are_told_apart_by_method_and_body_but_not_by_key(cache_dir: Path) -> None:
    cache = ResponseCache(cache_dir)
    cache.put("POST", "https://api.example/graphql", body=b'{"q": 1}', status=200, content=b"one")
    cache.put("POST", "https://api.example/graphql", body=b'{"q": 2}', status=200, content=b"two")
    assert cache.get("POST", "https://api.example/graphql", body=b'{"q": 1}', max_age=60).content == b"one"
    assert cache.get("POST", "https://api.example/graphql", body=b'{"q": 2}', max_age=60).content == b"two"
    assert cache.get("GET", "https://api.example/graphql", max_age=60) is None

    cache.put("GET", URL, status=200, content=b"volumes")
    other_key = URL.replace("SECRET-KEY-123", "ANOTHER-KEY")
    assert cache.get("GET", other_key, max_age=60).content == b"volumes"  # whose key asked does not matter


def test_no_secret_reaches_the_cache_file(cache_dir: Path) -> None:
    cache = ResponseCache(cache_dir)
    cache.put("GET", URL, status=200, content=b'{"items": []}')
    cache.put("GET", "https://user:hunter2@mirror.example/search.json?token=TOKEN-XYZ", status=200, content=b"{}")
    cache.close()
    stored = b"".join(p.read_bytes() for p in cache_dir.iterdir())
    for secret in (b"SECRET-KEY-123", b"TOKEN-XYZ", b"hunter2"):
        assert secret not in stored


def test_the_oldest_answers_make_way_when_the_cache_is_full(cache_dir: Path, clock: FakeClock) -> None:
    cache = ResponseCache(cache_dir, max_bytes=80_000, clock=clock.wall)
    for i in range(20):
        cache.put("GET", f"https://openlibrary.org/works/OL{i}W.json", status=200, content=bytes(9_000))
        clock.advance(1)
    assert cache.size_bytes <= 80_000
    assert cache.get("GET", "https://openlibrary.org/works/OL0W.json", max_age=1e9) is None
    assert cache.get("GET", "https://openlibrary.org/works/OL19W.json", max_age=1e9) is not None


def test_a_damaged_cache_file_is_moved_aside_and_replaced(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True)
    (cache_dir / FILE_NAME).write_bytes(b"this is not a database, it is garbage" * 200)

    cache = ResponseCache(cache_dir)
    assert cache.get("GET", URL, max_age=60) is None
    cache.put("GET", URL, status=200, content=b"ok")
    assert cache.get("GET", URL, max_age=60).content == b"ok"
    assert [p for p in cache_dir.iterdir() if ".corrupt-" in p.name]


def test_a_cache_damaged_while_open_recovers_on_the_next_use(cache_dir: Path) -> None:
    cache = ResponseCache(cache_dir)
    cache.put("GET", URL, status=200, content=b"ok")
    for name in (FILE_NAME, FILE_NAME + "-wal"):  # another program scribbles over the files
        path = cache_dir / name
        path.write_bytes(b"garbage!" * (max(path.stat().st_size, 4096) // 8))
    cache.get("GET", URL, max_age=60)  # whatever it finds, it does not raise
    cache.put("GET", URL, status=200, content=b"again")
    assert cache.get("GET", URL, max_age=60).content == b"again"
    cache.close()

    reopened = ResponseCache(cache_dir)
    reopened.put("GET", URL, status=200, content=b"after")
    assert reopened.get("GET", URL, max_age=60).content == b"after"


def test_an_unwritable_cache_folder_still_gives_a_working_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    cache = ResponseCache(blocker / "cache")  # cannot be created
    cache.put("GET", URL, status=200, content=b"in memory")
    assert cache.get("GET", URL, max_age=60).content == b"in memory"


def test_threads_can_share_one_cache(cache_dir: Path) -> None:
    cache = ResponseCache(cache_dir)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(40):
                url = f"https://openlibrary.org/search.json?q={n}-{i}"
                cache.put("GET", url, status=200, content=f"{n}-{i}".encode())
                assert cache.get("GET", url, max_age=60).content == f"{n}-{i}".encode()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(cache) == 240


def test_the_cache_file_is_plain_sqlite(cache_dir: Path) -> None:
    cache = ResponseCache(cache_dir)
    cache.put("GET", URL, status=200, content=b"{}")
    cache.close()
    with sqlite3.connect(cache_dir / FILE_NAME) as db:
        (url,) = db.execute("SELECT url FROM responses").fetchone()
    assert "key=" not in url and "q=isbn" in url
