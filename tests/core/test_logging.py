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
