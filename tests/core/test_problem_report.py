"""Report a problem: the lines of the job asked about, the version and platform, the settings, and
not one secret, written so that a half-written report never stands under the chosen name."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from bookdesk import __version__, correlation
from bookdesk.core import logging_setup, problem_report
from bookdesk.core.problem_report import build_report, normalize_reference, write_report
from bookdesk.core.secrets import HARDCOVER_TOKEN, InMemorySecretStore, source_secret
from bookdesk.core.settings import Settings
from bookdesk.errors import UsageError

log = logging.getLogger("bookdesk.tests.report")


@pytest.fixture
def log_folder(tmp_path: Path) -> Path:
    logging_setup.setup_logging(folder=tmp_path / "logs")
    return tmp_path / "logs"


def settings_with_sources() -> Settings:
    return Settings(indexers=[{"name": "Prowlarr", "url": "http://localhost:9696/1/api", "kind": "torznab",
                               "enabled": True}],
                    opds_catalogs=[{"name": "Home", "url": "https://reader:pa55word@books.example/opds",
                                    "username": "reader"}])


def test_the_report_holds_exactly_the_lines_of_the_job_asked_about(log_folder):
    log.info("before any job")
    with correlation.bound("BD-AAAAA"):
        log.info("importing 3 books")
    with correlation.bound("BD-BBBBB"):
        log.info("another job")
    with correlation.bound("BD-AAAAA"):
        try:
            raise ValueError("a broken EPUB")
        except ValueError:
            log.exception("import failed")

    text = build_report("BD-AAAAA", settings=Settings(), log_folder=log_folder)
    assert "Reference: BD-AAAAA" in text and f"BookDesk: {__version__}" in text
    assert "importing 3 books" in text and "import failed" in text and "ValueError: a broken EPUB" in text
    assert "another job" not in text and "before any job" not in text
    assert "the 2 log lines of job BD-AAAAA" in text


def test_without_a_reference_the_last_lines_are_taken_across_rotated_files(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    def line(n: int) -> str:
        return json.dumps({"time": f"t{n}", "level": "INFO", "logger": "bookdesk", "message": f"line {n}",
                           "correlation_id": None})
    (folder / "bookdesk.jsonl.2").write_text("\n".join(line(n) for n in range(0, 5)) + "\n")
    (folder / "bookdesk.jsonl.1").write_text("\n".join(line(n) for n in range(5, 10)) + "\nnot json\n")
    (folder / "bookdesk.jsonl").write_text("\n".join(line(n) for n in range(10, 12)) + "\n")

    entries = problem_report.log_entries(None, folder, last=4)
    assert [e["message"] for e in entries] == ["line 8", "line 9", "line 10", "line 11"]
    text = build_report(None, settings=None, log_folder=folder, last_lines=4)
    assert "Reference: none" in text and "line 7" not in text and "line 11" in text


def test_an_unknown_reference_falls_back_to_the_last_lines_and_says_so(log_folder):
    log.info("something happened")
    text = build_report("BD-ZZZZZ", settings=None, log_folder=log_folder)
    assert "no log line carries BD-ZZZZZ" in text and "something happened" in text


def test_a_token_that_appeared_in_a_log_line_is_masked(log_folder):
    secrets = InMemorySecretStore({HARDCOVER_TOKEN: "hc-0123456789abcdef",
                                   source_secret("indexer", "Prowlarr"): "prowlarr-key-42"})
    with correlation.bound("BD-CCCCC"):
        # Said outright, without a "token=" for the log's own redaction to catch.
        log.warning("Hardcover refused hc-0123456789abcdef")
        log.info("searching http://localhost:9696/1/api?t=search&apikey=prowlarr-key-42&q=dune")
        log.info("fetching https://reader:pa55word@books.example/opds")
        log.info("google https://www.googleapis.com/books/v1/volumes?q=x&key=AIzaSyD-secret")
    text = build_report("BD-CCCCC", settings=settings_with_sources(), secrets=secrets, log_folder=log_folder)
    for secret in ("hc-0123456789abcdef", "prowlarr-key-42", "pa55word", "AIzaSyD-secret"):
        assert secret not in text
    assert "Hardcover refused ***" in text
    assert "apikey=***" in text and "https://reader:***@books.example/opds" in text and "key=***" in text


def test_a_line_written_before_redaction_existed_is_masked_too(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "bookdesk.jsonl").write_text(json.dumps({
        "time": "t", "level": "INFO", "logger": "bookdesk", "message": "login with password=hunter22",
        "correlation_id": "BD-DDDDD", "authorization": "Bearer abc.def"}) + "\n")
    text = build_report("BD-DDDDD", settings=None, log_folder=folder)
    assert "hunter22" not in text and "password=***" in text and "abc.def" not in text


def test_the_settings_part_keeps_no_secret_and_no_credentials(log_folder):
    settings = settings_with_sources()
    secrets = InMemorySecretStore({source_secret("opds", "Home"): "catalog-pass-77"})
    text = build_report(None, settings=settings, secrets=secrets, log_folder=log_folder)
    part = text.split("== Settings ==\n", 1)[1]
    data = json.loads(part)
    assert data["indexers"][0]["name"] == "Prowlarr" and data["import_mode"] == "copy"
    assert "username" not in data["opds_catalogs"][0]
    assert data["opds_catalogs"][0]["url"] == "https://reader:***@books.example/opds"
    assert "pa55word" not in text and "catalog-pass-77" not in text


def test_the_home_folder_is_written_as_a_tilde(log_folder):
    settings = Settings(watch_folder=str(Path.home() / "Incoming"))
    text = build_report(None, settings=settings, log_folder=log_folder)
    assert '"watch_folder": "~/Incoming"' in text.replace(os.sep, "/")


def test_the_report_is_written_whole_or_not_at_all(log_folder, tmp_path, monkeypatch):
    log.info("one line")
    dest = tmp_path / "out" / "report.txt"
    assert write_report(None, dest, settings=Settings(), extra_lines=["Qt: 6.x"]) == dest
    first = dest.read_text(encoding="utf-8")
    assert "Qt: 6.x" in first and "one line" in first

    def broken_replace(src, dst):  # noqa: ANN001 - os.replace's arguments
        raise OSError("disk full")

    monkeypatch.setattr(problem_report.os, "replace", broken_replace)
    log.info("a second line")
    with pytest.raises(OSError):
        write_report(None, dest, settings=Settings())
    assert dest.read_text(encoding="utf-8") == first  # the old report is untouched
    assert [p.name for p in dest.parent.iterdir()] == ["report.txt"]  # and no temporary file is left


def test_the_report_never_includes_book_files_or_the_catalog(log_folder, tmp_path):
    library = tmp_path / "Library"
    library.mkdir()
    (library / "bookdesk.sqlite3").write_bytes(b"SQLite format 3\x00 catalog-bytes")
    (library / "book.epub").write_bytes(b"PK epub-bytes")
    log.info("imported %s", library / "book.epub")
    text = build_report(None, settings=Settings(), log_folder=log_folder)
    assert "catalog-bytes" not in text and "epub-bytes" not in text
    assert "book.epub" in text  # the path is said, the content is not


@pytest.mark.parametrize(("typed", "expected"), [("bd-7k3q9", "BD-7K3Q9"), (" BD-7K3Q9 ", "BD-7K3Q9"),
                                                 ("7K3Q9", "BD-7K3Q9"), ("", None), (None, None)])
def test_a_reference_is_read_as_people_type_it(typed, expected):
    assert normalize_reference(typed) == expected


def test_something_that_is_not_a_reference_is_refused():
    with pytest.raises(UsageError, match="BD-7K3Q9"):
        normalize_reference("hello")


def test_masking_never_reaches_across_a_line_break(log_folder):
    secrets = InMemorySecretStore({HARDCOVER_TOKEN: "hc-ends-in-token"})
    with correlation.bound("BD-EEEEE"):
        log.info("refused hc-ends-in-token")
    text = build_report("BD-EEEEE", settings=Settings(), secrets=secrets, log_folder=log_folder)
    assert "refused ***\n" in text and "\n== Settings ==\n" in text
