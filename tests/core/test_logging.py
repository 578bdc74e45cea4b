"""JSON-lines logs: each line says which job wrote it, a job's lines can be read back, secrets never land."""

from __future__ import annotations

import json
import logging

import pytest

from bookdesk import correlation
from bookdesk.core import logging_setup

log = logging.getLogger("bookdesk.tests.logging")


@pytest.fixture
def log_file(tmp_path):
    return logging_setup.setup_logging(folder=tmp_path / "logs")


def entries(path) -> list[dict]:
    for handler in logging.getLogger("bookdesk").handlers:
        handler.flush()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_logs_go_to_one_json_line_per_record_in_the_log_folder(tmp_path, user_folders):
    path = logging_setup.setup_logging()  # the folder comes from BOOKDESK_LOG_DIR
    assert path == user_folders / "logs" / logging_setup.LOG_NAME
    assert logging_setup.setup_logging() == path  # twice is harmless: one handler, one line per record
    log.info("hello %s", "there", extra={"books": 3})
    [entry] = entries(path)
    assert entry["message"] == "hello there"
    assert (entry["level"], entry["logger"], entry["books"], entry["correlation_id"]) == (
        "INFO", "bookdesk.tests.logging", 3, None)


def test_lines_for_an_id_are_exactly_the_lines_logged_inside_that_job(log_file):
    log.info("before any job")
    with correlation.bound("BD-AAAAA"):
        log.info("first job starts")
    with correlation.bound("BD-BBBBB"):
        log.warning("second job works")
    with correlation.bound("BD-AAAAA"):
        try:
            raise ZeroDivisionError("no books to divide")
        except ZeroDivisionError:
            log.exception("first job fails")

    mine = logging_setup.lines_for("BD-AAAAA")
    assert [e["message"] for e in mine] == ["first job starts", "first job fails"]
    assert all(e["correlation_id"] == "BD-AAAAA" for e in mine)
    assert "ZeroDivisionError" in mine[-1]["traceback"]
    assert [e["message"] for e in logging_setup.lines_for("BD-BBBBB")] == ["second job works"]
    assert logging_setup.lines_for("BD-ZZZZZ") == []
    text = logging_setup.format_lines(mine)
    assert "first job starts" in text and "Traceback" in text


@pytest.mark.parametrize("secret_line", [
    "calling https://example.org/api?api_key=s3cr3tvalue&q=dune",
    "Authorization: Bearer s3cr3tvalue",
    'settings {"password": "s3cr3tvalue", "user": "ann"}',
    "hardcover token=s3cr3tvalue rejected",
    "client login with passwd:s3cr3tvalue",
])
def test_credentials_in_a_message_never_reach_the_log_file(log_file, secret_line):
    log.warning(secret_line)
    text = log_file.read_text(encoding="utf-8")
    assert "s3cr3tvalue" not in text
    assert "***" in text


def test_credentials_in_extra_fields_and_tracebacks_are_masked_too(log_file):
    log.info("provider configured", extra={"api_token": "s3cr3tvalue", "provider": "hardcover"})
    try:
        raise RuntimeError("login refused for password=s3cr3tvalue")
    except RuntimeError:
        log.exception("client failed")
    text = log_file.read_text(encoding="utf-8")
    assert "s3cr3tvalue" not in text
    first, second = entries(log_file)
    assert (first["provider"], first["api_token"]) == ("hardcover", "***")
    assert "RuntimeError" in second["traceback"]


def test_ordinary_words_about_tokens_are_left_readable(log_file):
    log.info("the token expired; ask for a new password")
    [entry] = entries(log_file)
    assert entry["message"] == "the token expired; ask for a new password"


@pytest.mark.parametrize(("message", "args"), [
    ("two %s %s", ("one",)),  # too few arguments
    ("count %d", ("password=s3cr3tvalue",)),  # the wrong kind
    ("%(name)s", ("password=s3cr3tvalue",)),  # a mapping asked for, a tuple given
    ("no place for it", ("password=s3cr3tvalue",)),  # more arguments than places
])
def test_a_malformed_log_call_is_written_redacted_and_never_raises_into_its_caller(log_file, message, args):
    log.warning(message, *args)  # the standard library would report it on stderr and carry on; so do we
    [entry] = entries(log_file)
    assert entry["message"].startswith(message)
    assert "s3cr3tvalue" not in log_file.read_text(encoding="utf-8")


def _fill(path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _line(ref: str, message: str, when: str = "2026-05-01T10:00:00.000+00:00") -> str:
    return json.dumps({"time": when, "level": "INFO", "logger": "bookdesk.x", "message": message,
                       "correlation_id": ref}, ensure_ascii=False)


def test_a_jobs_lines_come_oldest_first_across_the_rotated_files(log_file):
    _fill(log_file.with_name(log_file.name + ".2"), [_line("BD-AAAAA", "one"), _line("BD-OTHER", "x")])
    _fill(log_file.with_name(log_file.name + ".1"), [_line("BD-OTHER", "y"), _line("BD-AAAAA", "two")])
    _fill(log_file, [_line("BD-AAAAA", "three – é"), _line("BD-OTHER", "z")])
    assert [e["message"] for e in logging_setup.lines_for("BD-AAAAA")] == ["one", "two", "three – é"]
    assert [e["message"] for e in logging_setup.lines_for("BD-AAAAA", limit=2)] == ["two", "three – é"]


def test_a_long_log_is_read_whole_lines_whatever_its_block_boundaries(log_file):
    # Multi-byte letters and lines of every length: a block boundary falls inside lines and letters.
    lines = [_line("BD-AAAAA" if k % 7 == 0 else "BD-OTHER", "ø" * (k % 500) + f" {k}") for k in range(3000)]
    _fill(log_file, lines)
    mine = [int(e["message"].split()[-1]) for e in logging_setup.lines_for("BD-AAAAA", limit=10_000)]
    assert mine == [k for k in range(3000) if k % 7 == 0]


def test_reading_a_jobs_lines_stops_at_the_jobs_start(log_file):
    from datetime import datetime

    _fill(log_file.with_name(log_file.name + ".1"), [_line("BD-AAAAA", "a run long before",
                                                           "2026-04-01T09:00:00.000+00:00")])
    _fill(log_file, [_line("BD-OTHER", "x", "2026-05-01T09:59:00.000+00:00"),
                     _line("BD-AAAAA", "this run", "2026-05-01T10:00:01.000+00:00")])
    since = datetime(2026, 5, 1, 10, 0, 0)
    assert [e["message"] for e in logging_setup.lines_for("BD-AAAAA", since=since)] == ["this run"]


def test_a_line_longer_than_a_block_is_read_whole(log_file):
    _fill(log_file, [_line("BD-AAAAA", "short"), _line("BD-AAAAA", "long " + "w" * 600_000), _line("BD-OTHER", "x")])
    assert [len(e["message"]) for e in logging_setup.lines_for("BD-AAAAA")] == [5, 600_005]
