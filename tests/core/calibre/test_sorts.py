"""calibre's title sort and author sort come over as BookDesk's sort title and each author's sort name, as
``calibredb list`` gives them (a title sort made by hand included), and a title sort changed in calibre later
follows on the next run as a change from "calibre". The library is made and changed by the real calibredb."""

from __future__ import annotations

import json
from pathlib import Path

from bookdesk.core.calibre.plan import CALIBRE_ID
from bookdesk.core.library_service import LibraryService
from bookdesk.vocabulary.folding import fold
from tests.calibre_library import calibredb


def _sorts(folder: Path, home: Path) -> dict[int, tuple[str, str]]:
    """Each book's (title sort, author sort) as calibredb lists them."""
    out = calibredb(home, "list", "--with-library", str(folder), "--fields", "author_sort,template",
                    "--template", "{sort}", "--for-machine")
    return {b["id"]: (b["template"], b["author_sort"]) for b in json.loads(out)}


def test_title_and_author_sorts_come_as_calibre_lists_them_and_follow(catalog, calibre_copy, bring_over, tmp_path):
    folder, _ = calibre_copy
    home = tmp_path / "home"
    calibredb(home, "set_metadata", "--with-library", str(folder), "--field", "sort:Winter, Shadow One", "2")
    truth = _sorts(folder, home)
    assert truth[2][0] == "Winter, Shadow One"

    bring_over(catalog, folder)

    library = LibraryService(catalog)
    books = {int(d.identifiers[CALIBRE_ID]): d for d in library.details(library.work_ids())}
    for calibre_id, (title_sort, author_sort) in truth.items():
        book = books[calibre_id]
        assert book.sort_title == title_sort
        assert " & ".join(c.sort_name for c in book.contributors if c.role == "author") == author_sort
    by_sort = sorted(truth, key=lambda calibre_id: fold(truth[calibre_id][0]))
    assert library.work_ids(sort="title") == [books[n].id for n in by_sort]  # the Library sorts by them

    calibredb(home, "set_metadata", "--with-library", str(folder), "--field", "sort:Aardvark", "2")
    run = bring_over(catalog, folder)

    assert LibraryService(catalog).details([books[2].id])[0].sort_title == "Aardvark"
    assert library.work_ids(sort="title")[0] == books[2].id
    [change] = [c for c in library.history(books[2].id) if c.correlation_id == run.correlation_id]
    assert (change.field, change.old_value, change.new_value, change.source) == (
        "sort_title", "Winter, Shadow One", "Aardvark", "calibre")
