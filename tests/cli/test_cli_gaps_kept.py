"""``bookdesk gaps --json`` prints the answers kept in the catalog when they are current, read through plain
sqlite3 without SQLAlchemy, and its document is the one a fresh analysis prints, byte for byte."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bookdesk.app import main
from bookdesk.core.library_service import LibraryService
from bookdesk.core.series.service import SeriesService
from bookdesk.data.catalog import open_catalog
from tests.cli.test_cli_gaps import library  # noqa: F401 - the fixture: three series, one listed, one wanted
from tests.cli.test_command_start import modules_after
from tests.core.series.series_builders import add_books


def printed(capsys, folder: Path) -> str:
    assert main(["gaps", "--library", str(folder), "--json"]) == 0
    return capsys.readouterr().out


def fresh(capsys, folder: Path, monkeypatch) -> str:
    """The document as a fresh analysis prints it, with nothing kept taken or kept."""
    init = SeriesService.__init__

    def without_kept(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        init(self, *args, **kwargs)
        self._keep_answers = False

    with monkeypatch.context() as patched:
        patched.setattr(SeriesService, "__init__", without_kept)
        patched.setattr("bookdesk.cli.gaps_command._print_kept", lambda *args: False)
        return printed(capsys, folder)


def test_the_kept_answers_print_the_document_of_a_fresh_analysis(library, capsys, monkeypatch):  # noqa: F811
    expected = fresh(capsys, library, monkeypatch)
    first = printed(capsys, library)  # works them out and keeps them
    kept = printed(capsys, library)

    assert first == expected and kept == expected
    assert [s["name"] for s in json.loads(kept)["series"]] == ["Complete", "Earthsea", "Wayfarers"]


def test_the_document_follows_a_change_and_an_ignored_series(library, capsys, monkeypatch):  # noqa: F811
    printed(capsys, library)
    catalog = open_catalog(library)
    try:
        add_books(catalog, "Wayfarers", "3")
        service = SeriesService(catalog)
        try:
            service.ignore_series(service.series_id("Complete"))
            service.set_monitored(service.series_id("Earthsea"))
        finally:
            service.close()
        LibraryService(catalog).edit(add_books(catalog, "Solo", "1")["1"], "series", [])  # a series left empty
    finally:
        catalog.close()

    after = printed(capsys, library)

    assert after == fresh(capsys, library, monkeypatch) == printed(capsys, library)
    by_name = {s["name"]: s for s in json.loads(after)["series"]}
    assert list(by_name) == ["Earthsea", "Wayfarers"] and by_name["Earthsea"]["monitored"]


def test_current_kept_answers_are_printed_without_sqlalchemy(library, capsys):  # noqa: F811
    expected = printed(capsys, library)

    code, out, modules = modules_after(["gaps", "--library", str(library), "--json"])

    assert code == 0 and out == expected
    assert [m for m in modules if m.startswith(("sqlalchemy", "alembic", "bookdesk.core.series.service"))] == []


def test_an_empty_library_is_answered_without_sqlalchemy(tmp_path):
    open_catalog(tmp_path / "Library").close()

    code, out, modules = modules_after(["gaps", "--library", str(tmp_path / "Library"), "--json"])

    assert code == 0 and json.loads(out) == {"series": []}
    assert [m for m in modules if m.startswith("sqlalchemy")] == []


def test_another_day_is_worked_out_again(library, capsys, monkeypatch):  # noqa: F811
    before = json.loads(printed(capsys, library))
    assert next(s for s in before["series"] if s["name"] == "Earthsea")["upcoming"][0]["label"] == "7"

    class Later(date):
        @classmethod
        def today(cls) -> date:
            return date(2100, 1, 1)  # Earthsea 7 is out by then

    monkeypatch.setattr("bookdesk.core.series.policy.date", Later)
    earthsea = next(s for s in json.loads(printed(capsys, library))["series"] if s["name"] == "Earthsea")

    assert earthsea["upcoming"] == [] and "7" in earthsea["missing"]
