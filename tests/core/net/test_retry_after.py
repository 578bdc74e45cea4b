"""Retry-After, read one way everywhere: delta seconds or an HTTP date, never believed past a cap,
and nothing at all from a value that is neither."""

from __future__ import annotations

from email.utils import formatdate

import pytest

from bookdesk.core.net.retry_after import MAX_RETRY_AFTER, retry_after_seconds

NOW = 1_800_000_000.0  # a fixed wall clock: the parser is told the time, never reads it


def test_delta_seconds_are_seconds_from_now() -> None:
    assert retry_after_seconds("120", now=NOW) == 120.0
    assert retry_after_seconds("  7 ", now=NOW) == 7.0
    assert retry_after_seconds("0", now=NOW) == 0.0


def test_an_http_date_is_the_time_left_until_then() -> None:
    assert retry_after_seconds(formatdate(NOW + 90, usegmt=True), now=NOW) == pytest.approx(90.0)


def test_a_date_already_past_means_now() -> None:
    assert retry_after_seconds(formatdate(NOW - 600, usegmt=True), now=NOW) == 0.0


@pytest.mark.parametrize("value", ["", "   ", None, "soon", "30s", "1e3", "nan", "inf", "-", "0x10",
                                   "Mon, 99 Foo 2026 25:61:00 GMT"])
def test_garbage_says_nothing(value: str | None) -> None:
    assert retry_after_seconds(value, now=NOW) is None


def test_a_negative_delay_says_nothing() -> None:
    # RFC 9110 allows only digits: a server that sends "-5" is broken, and its own backoff is safer.
    assert retry_after_seconds("-5", now=NOW) is None


@pytest.mark.parametrize("value", ["999999999999", "9" * 400, formatdate(NOW + 10 * 365 * 86400, usegmt=True)])
def test_a_huge_wait_is_capped(value: str) -> None:
    assert retry_after_seconds(value, now=NOW) == MAX_RETRY_AFTER


def test_the_cap_can_be_lowered_by_the_caller() -> None:
    assert retry_after_seconds("3600", now=NOW, cap=60.0) == 60.0
