"""``bookdesk list``: the library as JSON or text, searched the same way as in the window."""

from __future__ import annotations

import json

from bookdesk.app import main

BOOK_KEYS = {"id", "title", "authors", "series", "identifiers", "language", "first_published", "cover", "files",
             "status", "read_state", "on_server"}


def imported(library_dir, corpus, capsys) -> dict:
    assert main(["import", str(corpus), "--library", str(library_dir), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_list_json_describes_every_book_with_its_series_identifiers_and_files(
        run_cli, corpus, manifest, library_dir, capsys):
    imported(library_dir, corpus, capsys)

    done = run_cli("list", "--library", library_dir, "--json")

    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert set(document) == {"books"}
    by_title = {book["title"]: book for book in document["books"]}
    assert set(by_title) == {t["title"] for t in manifest}
    for truth in manifest:
        book = by_title[truth["title"]]
        assert set(book) == BOOK_KEYS
        assert book["authors"] == [truth["author"]] and book["status"] == "owned"
        assert book["read_state"] == "unread" and book["on_server"] == []
        assert book["identifiers"]["isbn"] == truth["isbn"]
        expected = [] if truth["series"] is None else [{"name": truth["series"], "position": f"{truth['index']:g}"}]
        assert book["series"] == expected
        [file] = book["files"]
        assert set(file) == {"path", "format", "size"} and file["format"] == "epub"
        assert (library_dir / file["path"]).stat().st_size == file["size"]


def test_list_search_finds_books_by_isbn_with_hyphens_and_by_author(corpus, manifest, library_dir, capsys):
    imported(library_dir, corpus, capsys)
    target = manifest[0]
    isbn = target["isbn"]
    hyphenated = f"{isbn[:3]}-{isbn[3]}-{isbn[4:8]}-{isbn[8:12]}-{isbn[12]}"

    assert main(["list", "--library", str(library_dir), "--search", hyphenated, "--json"]) == 0
    assert [b["title"] for b in json.loads(capsys.readouterr().out)["books"]] == [target["title"]]

    surname = target["author"].split(" ", 1)[1]
    assert main(["list", "--library", str(library_dir), "--search", surname, "--json"]) == 0
    found = {b["title"] for b in json.loads(capsys.readouterr().out)["books"]}
    assert found == {t["title"] for t in manifest if t["author"].split(" ", 1)[1] == surname}

    assert main(["list", "--library", str(library_dir), "--search", "no such book anywhere", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"books": []}


def test_list_as_text_shows_one_line_per_book_and_a_count(corpus, manifest, library_dir, capsys):
    imported(library_dir, corpus, capsys)
    assert main(["list", "--library", str(library_dir)]) == 0
    *lines, count = capsys.readouterr().out.splitlines()
    assert count == f"{len(manifest)} book(s)"
    assert len(lines) == len(manifest)
    in_series = next(t for t in manifest if t["series"])
    line = next(x for x in lines if in_series["title"] in x)
    assert in_series["author"] in line and f"[{in_series['series']} #{in_series['index']:g}]" in line


def test_the_library_comes_from_bookdesk_library_when_no_folder_is_given(run_cli, user_folders, corpus):
    assert run_cli("import", corpus, "--json").returncode == 0
    assert (user_folders / "default-library" / "bookdesk.sqlite3").is_file()
    done = run_cli("list", "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["books"]) == len(list(corpus.glob("*.epub")))


def test_the_library_option_may_come_before_the_command(run_cli, library_dir, corpus, capsys):
    imported(library_dir, corpus, capsys)
    done = run_cli("--library", library_dir, "list", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["books"]


def test_listing_a_folder_that_holds_no_library_says_so_and_creates_nothing(run_cli, tmp_path):
    typo = tmp_path / "Libary"
    done = run_cli("list", "--library", typo, "--json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["error"]["message"] == f"There is no BookDesk library at {typo}."
    assert f"There is no BookDesk library at {typo}" in done.stderr
    assert not typo.exists()
