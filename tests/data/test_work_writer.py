"""Adding books in bulk gives exactly the rows that editing them one by one would."""

from __future__ import annotations

from sqlalchemy import select

from bookdesk.data.catalog_rows import Contributor, NewFile, NewWork, SeriesRef
from bookdesk.data.models import Work
from bookdesk.data.work_repository import WorkRepository

DERIVED = ("title_key", "authors_display", "author_key", "series_display", "series_key", "series_index", "formats")


def derived(session) -> dict[int, tuple]:  # noqa: ANN001
    return {w.id: tuple(getattr(w, c) for c in DERIVED) for w in session.execute(select(Work)).scalars()}


def test_bulk_added_works_match_what_a_refresh_computes(catalog) -> None:
    with catalog.write() as session:
        repo = WorkRepository(session)
        repo.add(NewWork("Existing", [Contributor("Ursula K. Le Guin", sort_name="Le Guin, U. K.")]))
        ids = repo.add_many([
            NewWork("The Tombs of Atuan", [Contributor("Ursula K. Le Guin"), Contributor("Kobna Holdbrook-Smith",
                                                                                       role="narrator")],
                    series=[SeriesRef("Earthsea Cycle", "2"), SeriesRef("Earthsea Cycle", "2")],
                    identifiers={"isbn": "9780547773742", "asin": ""}, tags=["Fantasy", " Fantasy "],
                    files=[NewFile("a/b.epub", "epub", "ebook", 10, 1.0, "h1"),
                           NewFile("a/b.m4b", "m4b", "audiobook", 20, 1.0, "h2", duration_seconds=60.0)]),
            NewWork("Omnibus", [Contributor("Anne Brontë"), Contributor("Emily Brontë")],
                    series=[SeriesRef("Collected", "1-3")]),
            NewWork("Untitled Extra", []),
        ])
    with catalog.read() as session:
        bulk = derived(session)
    with catalog.write() as session:
        WorkRepository(session).refresh(list(bulk))
    with catalog.read() as session:
        repo = WorkRepository(session)
        assert derived(session) == bulk
        tombs = repo.detail(ids[0])
        assert [(c.name, c.role) for c in tombs.contributors] == [
            ("Ursula K. Le Guin", "author"), ("Kobna Holdbrook-Smith", "narrator")]
        assert [(s.name, s.label) for s in tombs.series] == [("Earthsea Cycle", "2")]
        assert tombs.identifiers == {"isbn": "9780547773742"} and tombs.tags == ("Fantasy",)
        assert repo.ids("holdbrook") == [ids[0]] and repo.ids("collected") == [ids[1]]
    assert bulk[ids[0]][1:] == ("Ursula K. Le Guin", "le guin, u. k.", "Earthsea Cycle #2", "earthsea cycle", 2.0,
                                "EPUB, M4B")
