"""Correlation ids: short, readable, and carried by whatever a job does."""

from __future__ import annotations

import asyncio
import re
import threading

from bookdesk import correlation
from bookdesk.errors import BookDeskError, ImportFailedError

READABLE = re.compile(r"^BD-[0-9A-HJKMNP-TV-Z]{5}$")  # no I, L, O or U to misread


def test_new_ids_look_like_bd_and_five_readable_characters():
    ids = [correlation.new_id() for _ in range(1000)]
    assert all(READABLE.match(i) and correlation.is_valid(i) for i in ids)
    assert len(set(ids)) >= 990  # random, so two jobs practically never share one
    assert not correlation.is_valid("BD-7K3QI")
    assert not correlation.is_valid("XX-7K3Q9")
    assert not correlation.is_valid("BD-7K3Q")


def test_an_id_is_current_only_inside_its_block_and_nests():
    assert correlation.current() is None
    with correlation.bound("BD-AAAAA"):
        assert correlation.current() == "BD-AAAAA"
        with correlation.bound("BD-BBBBB"):
            assert correlation.current() == "BD-BBBBB"
        assert correlation.current() == "BD-AAAAA"
    assert correlation.current() is None


def test_concurrent_jobs_each_see_their_own_id():
    async def job(cid: str, seen: list[str]) -> None:
        with correlation.bound(cid):
            for _ in range(3):
                await asyncio.sleep(0)
                seen.append(correlation.current())

    async def both() -> tuple[list[str], list[str]]:
        first, second = [], []
        await asyncio.gather(job("BD-11111", first), job("BD-22222", second))
        return first, second

    first, second = asyncio.run(both())
    assert first == ["BD-11111"] * 3 and second == ["BD-22222"] * 3


def test_another_thread_does_not_inherit_the_id():
    seen = []
    with correlation.bound("BD-33333"):
        thread = threading.Thread(target=lambda: seen.append(correlation.current()))
        thread.start()
        thread.join()
    assert seen == [None]


def test_an_error_raised_inside_a_job_carries_its_id():
    with correlation.bound("BD-44444"):
        error = ImportFailedError("book.epub is damaged")
    assert error.correlation_id == "BD-44444"
    assert str(error) == "book.epub is damaged"
    assert BookDeskError("outside").correlation_id is None
