"""An import killed at the worst moment (files placed, catalog not yet committed), run again,
finishes the job: no book lost, none doubled, nothing stray left in the library."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from bookdesk.data.import_repository import ImportRepository
from bookdesk.data.work_repository import WorkRepository

# Runs a real import in another process that dies (os._exit, as a kill would) right after the
# second batch's files are placed and before that batch is committed.
KILLED_IMPORT = textwrap.dedent("""
    import asyncio, os, sys
    from pathlib import Path
    from bookdesk.core.importer import batch_commit, service
    from bookdesk.core.jobs import JobRunner
    from bookdesk.data.catalog import open_catalog

    batch_commit.BATCH = 4
    commits = []
    real_commit = batch_commit.Committer._commit

    def commit_then_die(self, session, placed):
        commits.append(len(placed))
        if len(commits) == 2:
            os._exit(9)
        return real_commit(self, session, placed)

    batch_commit.Committer._commit = commit_then_die
    catalog = open_catalog(Path(sys.argv[1]))
    runner = JobRunner(catalog)
    ctx = runner.create("import", "doomed")
    importer = service.ImportService(catalog)
    asyncio.run(runner.run(ctx, lambda c: importer.run(c, [Path(sys.argv[2])], sys.argv[3])))
""")


def kill_an_import(library, corpus, mode):
    done = subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(library), str(corpus), mode],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr


def catalogued(catalog) -> set[str]:
    with catalog.read() as session:
        repo = WorkRepository(session)
        return {f.path for d in repo.details(repo.ids()) for f in d.files}


def books_on_disk(catalog) -> set[str]:
    return {p.relative_to(catalog.folder).as_posix() for p in catalog.folder.rglob("*.epub")}


def test_a_killed_copy_import_run_again_has_every_book_once(library_dir, corpus, manifest, import_books):
    kill_an_import(library_dir, corpus, "copy")
    from bookdesk.data.catalog import open_catalog

    catalog = open_catalog(library_dir)
    try:
        assert len(catalogued(catalog)) == 4  # the first batch made it
        assert len(books_on_disk(catalog)) == 8  # the second batch was placed, not committed
        result, report = import_books(catalog, [corpus])
        assert result.state == "succeeded"
        assert report.count("added") == len(manifest) - 4 and report.count("duplicate") == 4
        assert books_on_disk(catalog) == catalogued(catalog)
        assert len(catalogued(catalog)) == len(manifest)
        with catalog.read() as session:
            assert ImportRepository(session).uncommitted() == []
        assert not any((catalog.folder / ".staging").iterdir())
    finally:
        catalog.close()


def test_a_killed_move_import_loses_no_book(library_dir, corpus, manifest, import_books):
    kill_an_import(library_dir, corpus, "move")
    from bookdesk.data.catalog import open_catalog

    catalog = open_catalog(library_dir)
    try:
        # The books of the uncommitted batch are still at their source: a move deletes only after commit.
        remaining = {t["file"] for t in manifest if (corpus / t["file"]).exists()}
        assert len(remaining) == len(manifest) - 4
        result, report = import_books(catalog, [corpus], mode="move")
        assert result.state == "succeeded" and report.count("added") == len(manifest) - 4
        assert len(catalogued(catalog)) == len(manifest) == len(books_on_disk(catalog))
        assert not any((corpus / t["file"]).exists() for t in manifest)
    finally:
        catalog.close()
