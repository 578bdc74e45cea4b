"""Where CI says the fault tests must run (BOOKDESK_REQUIRE_FAULTS=1, set by .ci/run), a machine that
cannot fill a disk or lock a file fails them instead of skipping them unseen."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture
def no_tools(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)  # no mount, no chattr


def outcome(attempt) -> type[BaseException] | None:  # noqa: ANN001 - a callable
    try:
        attempt()
    except BaseException as exc:  # pytest's skip and fail are BaseExceptions
        return type(exc)
    return None


@pytest.mark.parametrize("required", ["1", None])
def test_a_disk_that_cannot_be_filled_fails_where_the_fault_tests_are_required(
        small_disk, no_tools, monkeypatch, required):
    if required:
        monkeypatch.setenv("BOOKDESK_REQUIRE_FAULTS", required)
    else:
        monkeypatch.delenv("BOOKDESK_REQUIRE_FAULTS", raising=False)
    expected = pytest.fail.Exception if required else pytest.skip.Exception
    assert outcome(lambda: small_disk(64)) is expected


@pytest.mark.parametrize("required", ["1", None])
def test_a_file_that_cannot_be_locked_fails_where_the_fault_tests_are_required(
        immutable, no_tools, monkeypatch, tmp_path, required):
    if required:
        monkeypatch.setenv("BOOKDESK_REQUIRE_FAULTS", required)
    else:
        monkeypatch.delenv("BOOKDESK_REQUIRE_FAULTS", raising=False)
    target = tmp_path / "catalog"
    target.write_bytes(b"x")
    expected = pytest.fail.Exception if required else pytest.skip.Exception
    assert outcome(lambda: immutable(target)) is expected
