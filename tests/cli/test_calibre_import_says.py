"""What ``bookdesk calibre import`` says where a person could go wrong: a folder that is not there, the
BookDesk library put inside calibre's own folder, a dry run that must not write, the books calibre removed
named. On a library made by the real calibredb."""

from __future__ import annotations

import json

from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture, calibredb  # noqa: F401 - fixtures


def test_a_folder_that_is_not_there_is_said_so(run_cli, tmp_path):
    done = run_cli("calibre", "import", tmp_path / "nothere", "--library", tmp_path / "Books")
    assert done.returncode == 1
    assert "There is no folder" in done.stderr and "nothere" in done.stderr


def test_the_library_inside_calibres_own_folder_is_refused(run_cli, calibre_copy):
    folder, _ = calibre_copy
    done = run_cli("calibre", "import", folder, "--library", folder)
    assert done.returncode != 0
    assert "calibre's own folder" in done.stderr
    assert not (folder / "bookdesk.sqlite3").exists() and not list(folder.glob("*.sqlite3*"))


def test_a_dry_run_writes_no_catalog(run_cli, calibre_copy, tmp_path):
    folder, listed = calibre_copy
    library = tmp_path / "Books"
    done = run_cli("calibre", "import", folder, "--library", library, "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["items"]) == len(listed)
    assert not library.exists()


def test_a_dry_run_names_the_books_calibre_removed(run_cli, calibre_copy, tmp_path):
    folder, listed = calibre_copy
    library = tmp_path / "Books"
    first = run_cli("calibre", "import", folder, "--library", library)
    assert first.returncode == 0, first.stderr
    calibredb(tmp_path / "home", "remove", "--with-library", str(folder), "3")
    done = run_cli("calibre", "import", folder, "--library", library, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"removed in calibre: {listed[2]['title']}" in done.stdout


def test_a_dry_run_leaves_a_catalog_from_an_older_bookdesk_as_it_was(run_cli, calibre_copy, tmp_path):
    import hashlib

    from bookdesk.data.catalog import CATALOG_NAME
    from tests.data.old_catalogs import catalog_at

    folder, _ = calibre_copy
    library = tmp_path / "Books"
    catalog_at(library, "0011", [])
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in library.iterdir()}

    done = run_cli("calibre", "import", folder, "--library", library, "--dry-run")

    assert done.returncode != 0
    assert "older BookDesk" in done.stderr and "without --dry-run" in done.stderr, done.stderr
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in library.iterdir()} == before
    assert (library / CATALOG_NAME).is_file()



def _changed_in_calibre(run_cli, folder, tmp_path):
    """The library brought over, then book 1 retitled in calibre; the BookDesk library's folder."""
    library = tmp_path / "Books"
    assert run_cli("calibre", "import", folder, "--library", library).returncode == 0
    calibredb(tmp_path / "home", "set_metadata", "--with-library", str(folder), "1", "--field", "title:Signal Anew")
    return library


def test_a_rerun_json_names_changed_books_updated(run_cli, calibre_copy, tmp_path):
    folder, listed = calibre_copy
    library = _changed_in_calibre(run_cli, folder, tmp_path)

    done = run_cli("calibre", "import", folder, "--library", library, "--json")

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    statuses = [item["status"] for item in report["items"]]
    assert report["updated"] == 1 and statuses.count("updated") == 1
    assert statuses.count("duplicate") == len(listed) - 1 == report["duplicates"]


def test_a_rerun_dry_run_names_the_formats_of_books_brought_over(run_cli, calibre_copy, tmp_path):
    folder, _ = calibre_copy
    library = _changed_in_calibre(run_cli, folder, tmp_path)

    preview = run_cli("calibre", "import", folder, "--library", library, "--dry-run")

    assert preview.returncode == 0, preview.stderr
    lines = [line for line in preview.stdout.splitlines() if line.strip().startswith(("update", "duplicate"))]
    assert len(lines) >= 2 and not [line for line in lines if "no files" in line], preview.stdout
    [changed] = [line for line in lines if "Signal Anew" in line]
    assert "EPUB" in changed, changed


def test_books_with_files_missing_are_counted_and_named_in_the_dry_run_and_the_import(run_cli, calibre_copy,
                                                                                      tmp_path):
    folder, listed = calibre_copy
    next(folder.rglob("*.pdf")).unlink()
    library = tmp_path / "Books"
    dry = run_cli("calibre", "import", folder, "--library", library, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["missing_files"] == [f"{listed[0]['title']} (PDF)"]
    done = run_cli("calibre", "import", folder, "--library", library)
    assert done.returncode == 0, done.stderr
    assert f"1 book with files missing in calibre: {listed[0]['title']} (PDF)" in done.stdout
    again = run_cli("calibre", "import", folder, "--library", library, "--json")
    assert json.loads(again.stdout)["missing_files"] == [f"{listed[0]['title']} (PDF)"]
