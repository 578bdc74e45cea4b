"""What arrives is imported and takes the place of the wanted book it was fetched for."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bookdesk.core.acquisition.arrival import import_arrival
from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.models import Work
from bookdesk.data.wanted_repository import WantedRepository
from tests.conftest import simple_metadata, write_epub


@pytest.fixture
def library(library_dir: Path):
    service = LibraryService.open(library_dir)
    yield service
    service.close()


def want(library: LibraryService, title: str, author: str, *, kinds: str = "") -> int:
    with library.catalog.write() as session:
        [work_id] = WantedRepository(session).add_placeholders(
            [NewWork(title=title, contributors=[Contributor(author)], series=[SeriesRef("Saga", "2", 2.0)],
                     status="wanted")], [None], [kinds], datetime(2026, 1, 1))
    return work_id


def wanted_ids(library: LibraryService) -> list[int]:
    with library.catalog.read() as session:
        return [w.id for w in WantedRepository(session).wanted()]


def works(library: LibraryService) -> int:
    with library.catalog.read() as session:
        return session.execute(select(func.count()).select_from(Work)).scalar_one()


def test_a_book_matching_the_wanted_work_lands_on_it(library: LibraryService, tmp_path: Path) -> None:
    work_id = want(library, "The Second Book", "Ann Author")
    staged = write_epub(tmp_path / "staging" / "x.epub", simple_metadata("The Second Book", "Ann Author"))

    result = import_arrival(library, [staged], work_id=work_id)

    assert result.work_id == work_id and not result.failures and len(result.placed) == 1
    book = library.detail(work_id)
    assert book.status == "owned" and [f.path for f in book.files] == result.placed
    assert [(s.name, s.label) for s in book.series] == [("Saga", "2")]
    assert wanted_ids(library) == [] and works(library) == 1
    assert not staged.exists()  # moved out of staging
    assert (library.folder / result.placed[0]).is_file()


def test_a_book_the_import_would_make_anew_still_fills_the_wanted_place(library: LibraryService,
                                                                        tmp_path: Path) -> None:
    work_id = want(library, "Saga #2", "Ann Author")
    staged = write_epub(tmp_path / "x.epub", simple_metadata("A Title Nobody Listed", "Ann Author",
                                                             isbn="9780000000002"))

    result = import_arrival(library, [staged], work_id=work_id, correlation_id="BD-ARRV1")

    assert result.work_id == work_id and result.correlation_id == "BD-ARRV1"
    book = library.detail(work_id)
    assert (book.status, len(book.files), book.identifiers) == ("owned", 1, {"isbn": "9780000000002"})
    assert [(s.name, s.label) for s in book.series] == [("Saga", "2")]
    assert wanted_ids(library) == [] and works(library) == 1  # the work the import made is gone
    undone = library.undo_job("BD-ARRV1")  # the download's reference undoes its import
    assert undone.imported is not None and library.detail(work_id).files == ()


def test_a_book_the_library_had_already_absorbs_the_placeholder(library: LibraryService, tmp_path: Path,
                                                                import_books) -> None:
    first = write_epub(tmp_path / "a" / "owned.epub", simple_metadata("Known Book", "Ann Author"))
    _, report = import_books(library.catalog, [first])
    owned = report.items[0].work_id
    work_id = want(library, "Saga #2", "Ann Author")
    again = write_epub(tmp_path / "b" / "again.epub", simple_metadata("Known Book", "Ann Author"))

    result = import_arrival(library, [again], work_id=work_id)

    assert result.work_id == owned
    assert [(s.name, s.label) for s in library.detail(owned).series] == [("Saga", "2")]
    assert wanted_ids(library) == [] and works(library) == 1


def test_an_audiobook_arriving_for_an_owned_ebook_stops_that_want(library: LibraryService, tmp_path: Path,
                                                                  import_books) -> None:
    ebook = write_epub(tmp_path / "a" / "book.epub", simple_metadata("Listen Here", "Ann Author"))
    _, report = import_books(library.catalog, [ebook])
    owned = report.items[0].work_id
    with library.catalog.write() as session:
        WantedRepository(session).set_wanted_kinds(owned, ["audiobook", "ebook"])

    # An EPUB stands in for the arriving media kind: what matters is that the kind that arrived leaves.
    other = write_epub(tmp_path / "b" / "book2.epub", simple_metadata("Listen Here", "Ann Author"))
    import_arrival(library, [other], work_id=owned)

    with library.catalog.read() as session:
        state = WantedRepository(session).state(owned)
    assert (state.status, state.wanted_kinds) == ("owned", ("audiobook",))


def test_a_file_that_cannot_be_imported_is_a_failure_and_links_nothing(library: LibraryService,
                                                                       tmp_path: Path) -> None:
    work_id = want(library, "Saga #2", "Ann Author")
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)

    result = import_arrival(library, [broken], work_id=work_id)

    assert result.work_id is None and result.placed == [] and len(result.failures) == 1
    assert broken.exists()  # nothing lost
    assert wanted_ids(library) == [work_id]


def test_the_download_is_marked_in_the_transaction_that_makes_its_book_owned(library: LibraryService,
                                                                             tmp_path: Path) -> None:
    work_id = want(library, "The Second Book", "Ann Author")
    staged = write_epub(tmp_path / "staging" / "x.epub", simple_metadata("The Second Book", "Ann Author"))
    seen = []

    def finish(session, arrival) -> None:
        seen.append((session.get(Work, work_id).status, arrival.work_id, list(arrival.placed)))
        session.get(Work, work_id).status = "owned?"  # must fail with the link, or land with it
        raise RuntimeError("the process dies here")

    with pytest.raises(RuntimeError):
        import_arrival(library, [staged], work_id=work_id, correlation_id="BD-ARRV2", finish=finish)

    assert seen and seen[0][0] == "owned" and seen[0][1] == work_id  # linked in this same transaction
    assert library.detail(work_id).status == "wanted"  # rolled back together: never owned without it


def test_a_download_imported_before_a_crash_is_not_imported_again(library: LibraryService, tmp_path: Path) -> None:
    work_id = want(library, "The Second Book", "Ann Author")
    staged = write_epub(tmp_path / "staging" / "x.epub", simple_metadata("The Second Book", "Ann Author"))

    def crash(session, arrival) -> None:
        raise RuntimeError("killed before the download's row was written")

    with pytest.raises(RuntimeError):
        import_arrival(library, [staged], work_id=work_id, correlation_id="BD-ARRV3", finish=crash)
    placed = [f.path for f in library.detail(work_id).files] or [
        f.path for w in library.work_ids() for f in library.detail(w).files]
    assert len(placed) == 1 and not staged.exists()  # imported (moved); the wanted link rolled back

    finished = []
    again = import_arrival(library, [staged], work_id=work_id, correlation_id="BD-ARRV3",
                           finish=lambda session, arrival: finished.append(arrival))

    assert again.ok and again.placed == placed and again.work_id == work_id
    assert len(finished) == 1 and finished[0].placed == placed
    book = library.detail(work_id)
    assert book.status == "owned" and [f.path for f in book.files] == placed
    assert works(library) == 1 and wanted_ids(library) == []
