"""What a finished download becomes: a wanted book owned, and each download's import under a Ref
of its own, however it was queued."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.wanted_repository import WantedRepository
from tests.conftest import simple_metadata, write_epub
from tests.core.acquisition import queue_harness
from tests.core.acquisition.queue_harness import settled
from tests.core.acquisition.test_http_fetch_server import FileServer

# the queue tests' fixtures (make_queue finds the library and the running worker by name, so they come too)
library, worker, make_queue = queue_harness.library, queue_harness.worker, queue_harness.make_queue


def test_a_download_for_a_wanted_book_makes_it_owned(make_queue, library, tmp_path: Path) -> None:
    with library.catalog.write() as session:
        [wanted] = WantedRepository(session).add_placeholders(
            [NewWork(title="Saga #2", contributors=[Contributor("Ann Author")], series=[SeriesRef("Saga", "2", 2.0)],
                     status="wanted")], [None], [""], datetime(2026, 1, 1))
    book = write_epub(tmp_path / "b.epub", simple_metadata("The Middle Book", "Ann Author")).read_bytes()
    queue = make_queue()
    with FileServer() as server:
        download_id = queue.enqueue(server.add("/middle.epub", book), work_id=wanted, title="Saga #2")
        assert settled(queue, download_id) == "imported"
    assert queue.progress(download_id).work_id == wanted
    detail = library.detail(wanted)
    assert detail.status == "owned" and len(detail.files) == 1
    with library.catalog.read() as session:
        assert WantedRepository(session).wanted() == []


def test_downloads_queued_under_one_ref_are_each_imported(make_queue, library, tmp_path: Path) -> None:
    """A search job (or the retry of a failed download) queues downloads under its own Ref: the guard
    against importing a download twice goes by the download, so the second is imported too, not taken
    for the first's import (it was marked imported with the first's book, and never imported)."""
    from bookdesk import correlation

    first = write_epub(tmp_path / "a.epub", simple_metadata("The First Book", "Ann Author")).read_bytes()
    second = write_epub(tmp_path / "b.epub", simple_metadata("The Other Book", "Bea Writer")).read_bytes()
    queue = make_queue()
    with FileServer() as server, correlation.bound("BD-SHAR1"):
        one = queue.enqueue(server.add("/first.epub", first), title="The First Book")
        assert settled(queue, one) == "imported"
        two = queue.enqueue(server.add("/second.epub", second), title="The Other Book")
        assert settled(queue, two) == "imported"
    works = {i: queue.progress(i).work_id for i in (one, two)}
    assert works[one] != works[two]
    assert library.detail(works[two]).title == "The Other Book" and len(library.detail(works[two]).files) == 1
    refs = {queue.progress(i).correlation_id for i in (one, two)}
    assert len(refs) == 2  # each download's Ref names its own import: `bookdesk undo` of it takes out its book


def test_a_download_queued_by_a_job_names_its_own_import(make_queue, library, tmp_path: Path) -> None:
    """The search job that grabbed a download has the download's Ref already, so its import runs under
    another: the row is given that one, for the guard against a second import after a crash (it looked
    under the job's Ref and found nothing) and for `bookdesk undo` of the Ref the download shows."""
    from bookdesk import correlation
    from bookdesk.core.acquisition.arrival import arrived_for
    from bookdesk.core.jobs import JobRunner
    from bookdesk.data.import_repository import ImportRepository

    book = write_epub(tmp_path / "a.epub", simple_metadata("The Grabbed Book", "Ann Author")).read_bytes()
    search = JobRunner(library.catalog).create("search", "Search for wanted books")
    queue = make_queue()
    with FileServer() as server, correlation.bound(search.correlation_id):
        download_id = queue.enqueue(server.add("/grabbed.epub", book), title="The Grabbed Book")
        assert settled(queue, download_id) == "imported"
    ref = queue.progress(download_id).correlation_id
    assert ref != search.correlation_id
    work_id = queue.progress(download_id).work_id
    with library.catalog.read() as session:
        placed = [s.target_path for s in ImportRepository(session).sources_of(ref)]
    assert placed == [f.path for f in library.detail(work_id).files]
    arrival = arrived_for(library, download_id)
    assert arrival is not None and (arrival.work_id, arrival.placed) == (work_id, placed)
