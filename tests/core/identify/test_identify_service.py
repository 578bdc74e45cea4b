"""Identifying books with providers that answer from memory (fakes over mocks): a clear match is
applied field by field with its source, a doubtful one waits for review, nothing fails the batch."""

from __future__ import annotations

import pytest

from bookdesk.core.identify.service import IdentifyService
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.errors import NetworkError
from bookdesk.core.providers.base import Candidate, Query
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 2000


class FakeProvider:
    """Answers by ISBN, else by words of the title, from a list of candidates."""

    def __init__(self, name: str, books: list[Candidate], *, configured: bool = True, fails: bool = False) -> None:
        self.name, self.label = name, name.title()
        self.books, self._configured, self.fails = books, configured, fails
        self.asked: list[Query] = []

    def configured(self) -> bool:
        return self._configured

    def asks_about(self, query: Query) -> bool:
        return True

    async def lookup(self, query: Query, *, user_waiting: bool = False) -> list[Candidate]:
        self.asked.append(query)
        if self.fails:
            raise NetworkError(f"{self.label} is not answering (503).", host="fake", retryable=True)
        if query.isbn:
            found = [b for b in self.books if b.identifiers.get("isbn") == query.isbn]
            if found:
                return found
        words = set(query.title.lower().split())
        return [b for b in self.books if words & set(b.title.lower().split())]


def book(provider: str, title: str, author: str, isbn: str | None = None, **extra) -> Candidate:
    return Candidate(provider, f"{provider}-{title}", title, contributors=[Contributor(author)],
                     identifiers={"isbn": isbn} if isbn else {}, **extra)


WIZARD = dict(title="A Wizard of Earthsea", author="Ursula K. Le Guin", isbn="9780547773742")


def add(catalog, title: str, authors: list[str], isbn: str | None = None) -> int:
    with catalog.write() as session:
        return WorkRepository(session).add(NewWork(title, [Contributor(a) for a in authors],
                                                   identifiers={"isbn": isbn} if isbn else {}))


@pytest.fixture
def service(catalog):
    return LibraryService(catalog)


def identify(run_job, catalog, providers, ids, **options):
    identifier = IdentifyService(catalog, providers, order=[p.name for p in providers],
                                 fetch_cover=options.pop("fetch_cover", None))
    result, _ = run_job(catalog, lambda ctx: identifier.identify(ctx, ids, **options), kind="identify")
    assert result.state == "succeeded", result.error
    return result.value, identifier


def test_a_clear_match_is_applied_field_by_field_with_its_source_and_undone_as_one_job(catalog, run_job, service):
    work = add(catalog, "a wizard of earthsea", ["Le Guin"], isbn=WIZARD["isbn"])
    hardcover = FakeProvider("hardcover", [book("hardcover", WIZARD["title"], WIZARD["author"], WIZARD["isbn"],
                                                series=[SeriesRef("Earthsea Cycle", "1")])])
    openlibrary = FakeProvider("openlibrary", [book("openlibrary", WIZARD["title"], WIZARD["author"],
                                                    WIZARD["isbn"], description="A boy named Ged.")])

    report, _ = identify(run_job, catalog, [hardcover, openlibrary], [work])

    [result] = report.results
    assert result.status == "applied" and result.score > 0.9
    detail = service.detail(work)
    assert (detail.title, detail.authors) == (WIZARD["title"], [WIZARD["author"]])
    assert [(s.name, s.label) for s in detail.series] == [("Earthsea Cycle", "1")]
    assert detail.description == "A boy named Ged."
    sources = {c.field: c.source for c in service.history(work)}
    assert sources["series"] == "hardcover" and sources["description"] == "openlibrary"
    assert {c.correlation_id for c in service.history(work)} == {report.correlation_id}

    service.undo_job(report.correlation_id)
    back = service.detail(work)
    assert (back.title, back.authors, back.series, back.description) == ("a wizard of earthsea", ["Le Guin"], (),
                                                                         None)


def test_a_doubtful_match_waits_for_review_and_applies_only_the_fields_ticked(catalog, run_job, service):
    work = add(catalog, "tombs", ["Le Guin"])
    provider = FakeProvider("openlibrary", [
        book("openlibrary", "The Tombs of Atuan", "Ursula K. Le Guin", "9780689845369"),
        book("openlibrary", "The Tombs of Tutankhamun", "Ursula K. Le Guin", "9780000000002"),
    ])

    report, identifier = identify(run_job, catalog, [provider], [work])

    assert report.results[0].status == "review"
    assert service.detail(work).title == "tombs"  # nothing was applied
    [item] = service.reviews()
    assert item.work_id == work and len(item.candidates) == 2 and item.reason
    first = item.candidates[0]
    assert {"title", "authors"} <= {p["field"] for p in first["proposals"]} and first["explain"]
    chosen = next(i for i, c in enumerate(item.candidates) if c["title"] == "The Tombs of Atuan")

    result, _ = run_job(catalog, lambda ctx: identifier.apply_review(ctx, item.id, chosen, {"title"}))

    assert result.state == "succeeded"
    detail = service.detail(work)
    assert detail.title == "The Tombs of Atuan" and detail.authors == ["Le Guin"]  # authors not ticked
    assert service.reviews() == []


def test_a_summary_of_the_book_is_never_applied(catalog, run_job, service):
    work = add(catalog, "Dune", ["Frank Herbert"])
    provider = FakeProvider("googlebooks", [book("googlebooks", "Summary of Dune by Frank Herbert", "QuickRead",
                                                 is_companion=True)])
    report, _ = identify(run_job, catalog, [provider], [work])
    assert report.results[0].status in ("no_match", "review")
    assert service.detail(work).title == "Dune"


def test_a_provider_that_is_down_or_not_set_up_is_noted_and_the_others_answer(catalog, run_job, service):
    work = add(catalog, "wizard of earthsea", ["Le Guin"], isbn=WIZARD["isbn"])
    down = FakeProvider("googlebooks", [], fails=True)
    no_token = FakeProvider("hardcover", [], configured=False)
    good = FakeProvider("openlibrary", [book("openlibrary", WIZARD["title"], WIZARD["author"], WIZARD["isbn"])])

    report, _ = identify(run_job, catalog, [down, no_token, good], [work])

    assert report.results[0].status == "applied"
    assert any("Hardcover is not set up" in n for n in report.notes)
    assert any("Googlebooks" in n and "503" in n for n in report.notes)
    assert no_token.asked == []


def test_every_provider_down_is_offline_not_not_found(catalog, run_job, service):
    work = add(catalog, "wizard of earthsea", ["Le Guin"], isbn=WIZARD["isbn"])
    providers = [FakeProvider("openlibrary", [], fails=True), FakeProvider("googlebooks", [], fails=True)]

    report, _ = identify(run_job, catalog, providers, [work])

    [result] = report.results
    assert result.status == "offline" and set(result.provider_errors) == {"Openlibrary", "Googlebooks"}
    assert "503" in result.error and "0 not found" in report.summary() and "offline" in report.summary()


def test_every_provider_that_could_answer_down_is_offline_beside_one_with_nothing_to_ask(catalog, run_job, service):
    class AudiobooksOnly(FakeProvider):
        """Asks only about books with an ASIN, as Audnexus does: an ebook is no question for it."""

        def asks_about(self, query: Query) -> bool:
            return bool(query.asin)

    work = add(catalog, "wizard of earthsea", ["Le Guin"], isbn=WIZARD["isbn"])
    providers = [FakeProvider("openlibrary", [], fails=True), FakeProvider("googlebooks", [], fails=True),
                 AudiobooksOnly("audnexus", [])]

    report, _ = identify(run_job, catalog, providers, [work])

    [result] = report.results
    assert result.status == "offline" and set(result.provider_errors) == {"Openlibrary", "Googlebooks"}
    assert providers[2].asked == []  # not asked at all, rather than counted as knowing nothing


def test_a_provider_down_beside_one_that_knows_nothing_is_said_with_the_not_found(catalog, run_job, service):
    work = add(catalog, "wizard of earthsea", ["Le Guin"], isbn=WIZARD["isbn"])
    providers = [FakeProvider("openlibrary", []), FakeProvider("googlebooks", [], fails=True)]

    report, _ = identify(run_job, catalog, providers, [work])

    [result] = report.results
    assert result.status == "no_match" and list(result.provider_errors) == ["Googlebooks"]
    assert "Googlebooks" in result.reason and "without an answer from Googlebooks" in report.summary()


def test_a_provider_that_ran_out_its_deadline_is_not_asked_for_every_other_book(catalog, run_job, service):
    class Stuck(FakeProvider):
        async def lookup(self, query, *, user_waiting=False):  # noqa: ANN001, ANN201
            self.asked.append(query)
            raise NetworkError("Stuck (host:1) did not send its whole answer within 3 s.", host="host:1",
                               retryable=True, too_slow=True)

    works = [add(catalog, f"book {n}", ["Le Guin"]) for n in range(3)]
    stuck = Stuck("googlebooks", [])
    good = FakeProvider("openlibrary", [])

    report, _ = identify(run_job, catalog, [stuck, good], works)

    assert len(stuck.asked) < 3 and len(good.asked) == 3
    assert all("within 3 s" in r.provider_errors["Googlebooks"] for r in report.results)


def test_locked_fields_and_fields_the_user_set_are_left_alone(catalog, run_job, service):
    work = add(catalog, "wizard of earthsea", ["Le Guin"], isbn=WIZARD["isbn"])
    service.edit(work, "publisher", "My Own Press")  # set by hand
    service.lock_field(work, "authors")
    provider = FakeProvider("openlibrary", [book("openlibrary", WIZARD["title"], WIZARD["author"], WIZARD["isbn"],
                                                 language="en", publisher="Parnassus")])
    report, _ = identify(run_job, catalog, [provider], [work])
    assert report.results[0].status == "applied"
    detail = service.detail(work)
    assert (detail.title, detail.authors, detail.publisher, detail.language) == (
        WIZARD["title"], ["Le Guin"], "My Own Press", "en")


def test_a_cover_is_saved_beside_the_book_and_its_change_can_be_undone(catalog, run_job, service, tmp_path):
    work = add(catalog, "wizard of earthsea", ["Le Guin"], isbn=WIZARD["isbn"])
    provider = FakeProvider("openlibrary", [book("openlibrary", WIZARD["title"], WIZARD["author"], WIZARD["isbn"],
                                                 cover_url="http://covers.example/1.png")])
    fetched = []

    async def fetch(url: str) -> bytes:
        fetched.append(url)
        return PNG

    report, _ = identify(run_job, catalog, [provider], [work], fetch_cover=fetch)
    detail = service.detail(work)
    assert fetched == ["http://covers.example/1.png"]
    assert detail.cover_path and (catalog.folder / detail.cover_path).read_bytes() == PNG
    service.undo_job(report.correlation_id)
    assert service.detail(work).cover_path is None


def test_one_book_failing_does_not_stop_the_others(catalog, run_job, service):
    good = add(catalog, "wizard of earthsea", ["Le Guin"], isbn=WIZARD["isbn"])
    provider = FakeProvider("openlibrary", [book("openlibrary", WIZARD["title"], WIZARD["author"], WIZARD["isbn"])])
    report, _ = identify(run_job, catalog, [provider], [good, 9999])
    assert [r.status for r in report.results] == ["applied", "error"]
    assert "no book with id 9999" in report.results[1].error


def add_audiobook(catalog, title: str, authors: list[str], asin: str) -> int:
    from bookdesk.data.catalog_rows import NewFile

    with catalog.write() as session:
        return WorkRepository(session).add(NewWork(
            title, [Contributor(a) for a in authors], identifiers={"asin": asin},
            files=[NewFile(path=f"{title}.m4b", format="m4b", media_kind="audiobook", size=1, mtime=0.0,
                           content_hash="0" * 64)]))


def test_an_audiobook_gets_its_narrators_its_recordings_isbn_and_the_books_first_publication(
        catalog, run_job, service):
    stone = "Harry Potter and the Sorcerer's Stone"
    work = add_audiobook(catalog, stone, ["J.K. Rowling"], "B017V4IM1G")
    # Google answers with the ebook (its ISBN, its 2015 date); Audnexus with this recording, whose
    # copyright year is the book's and whose release date is the recording's.
    google = FakeProvider("googlebooks", [book("googlebooks", stone, "J.K. Rowling", "9781781100486",
                                               released="2015-12-08")])
    audnexus = FakeProvider("audnexus", [Candidate(
        "audnexus", "B017V4IM1G", stone, contributors=[Contributor("J.K. Rowling"), Contributor("Jim Dale", "narrator")],
        identifiers={"asin": "B017V4IM1G", "isbn": "9781781102633"}, published="1997", released="2015-11-20",
        duration_seconds=498 * 60.0)])

    report, _ = identify(run_job, catalog, [google, audnexus], [work])

    [result] = report.results
    assert result.status == "applied", result.reason
    detail = service.detail(work)
    assert detail.first_published == "1997"
    assert detail.identifiers["isbn"] == "9781781102633"
    assert [c.name for c in detail.contributors if c.role == "narrator"] == ["Jim Dale"]
    assert detail.authors == ["J.K. Rowling"]
    sources = {c.field: c.source for c in service.history(work)}
    assert sources["narrators"] == "audnexus" and sources["first_published"] == "audnexus"


def test_a_field_set_by_hand_and_unlocked_is_open_to_identification_again(catalog, run_job, service):
    from bookdesk.core.editing.service import BookEdits, EditService

    work = add(catalog, "wizard of earthsea", ["Le Guin"], isbn=WIZARD["isbn"])
    EditService(catalog).apply([work], BookEdits(fields={"title": "a wizard of earthsea", "publisher": "My Own Press"},
                                                 unlock=("title",)))
    assert service.detail(work).locked_fields == {"publisher"}
    provider = FakeProvider("openlibrary", [book("openlibrary", WIZARD["title"], WIZARD["author"], WIZARD["isbn"],
                                                 publisher="Parnassus")])

    report, _ = identify(run_job, catalog, [provider], [work])

    assert report.results[0].status == "applied"
    detail = service.detail(work)
    assert (detail.title, detail.publisher) == (WIZARD["title"], "My Own Press")
