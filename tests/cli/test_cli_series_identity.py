"""Two authors' series of one name stay two series, from ``bookdesk import`` to ``gaps`` and ``wanted``."""

from __future__ import annotations

import json
from pathlib import Path

from bookdesk.app import main
from bookdesk.core.series.service import SeriesService
from bookdesk.data.catalog import open_catalog


def _book(make_epub, folder: Path, title: str, authors: tuple[str, ...], series: str, index: str) -> Path:
    creators = "".join(f"<dc:creator>{a}</dc:creator>" for a in authors)
    return make_epub(folder / f"{title}.epub",
                     f'<dc:title>{title}</dc:title>{creators}<dc:language>en</dc:language>'
                     f'<meta name="calibre:series" content="{series}"/>'
                     f'<meta name="calibre:series_index" content="{index}"/>')


def _json(capsys, *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_two_authors_archive_saga_are_two_series_with_their_own_gaps_and_wanted_books(
        tmp_path, library_dir, make_epub, capsys):
    drop = tmp_path / "incoming"
    _book(make_epub, drop, "Ash", ("Ann Archer",), "Archive Saga", "1")
    _book(make_epub, drop, "Cinder", ("Ann Archer", "Cy Cole"), "Archive Saga", "3")  # a co-author joins
    _book(make_epub, drop, "Bone", ("Ben Bowman",), "Archive Saga", "2")
    library = str(library_dir)
    assert _json(capsys, "import", str(drop), "--library", library)["added"] == 3

    books = {b["title"]: b for b in _json(capsys, "list", "--library", library)["books"]}
    assert {t: b["series"] for t, b in books.items()} == {
        "Ash": [{"name": "Archive Saga", "position": "1"}], "Bone": [{"name": "Archive Saga", "position": "2"}],
        "Cinder": [{"name": "Archive Saga", "position": "3"}]}

    series = _json(capsys, "gaps", "--library", library)["series"]
    by_author = {s["authors"]: (s["name"], s["owned"], s["missing"]) for s in series}
    assert by_author == {"Ann Archer": ("Archive Saga", ["1", "3"], ["2"]),
                         "Ben Bowman": ("Archive Saga", ["2"], ["1"])}

    catalog = open_catalog(library_dir)
    service = SeriesService(catalog)
    try:
        for author in ("Ann Archer", "Ben Bowman"):  # Want Missing, series by series
            service.want_missing(service.series_id("Archive Saga", author))
    finally:
        service.close()
        catalog.close()

    wanted = _json(capsys, "wanted", "--library", library)["wanted"]
    assert sorted((w["authors"], [(s["name"], s["position"]) for s in w["series"]]) for w in wanted) == [
        ("Ann Archer", [("Archive Saga", "2")]), ("Ben Bowman", [("Archive Saga", "1")])]
    after = {s["authors"]: s["missing"] for s in _json(capsys, "gaps", "--library", library)["series"]}
    assert after == {"Ann Archer": ["2"], "Ben Bowman": ["1"]}  # wanted, still missing, each in its own series
