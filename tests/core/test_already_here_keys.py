"""The library's name keys, remembered between imports, match books exactly as keys worked out afresh do."""

from __future__ import annotations

import random

from bookdesk.core.importer.already_here import LibraryIndex, NameKeys, first_author, name_keys_of, title_key
from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.import_repository import ImportRepository
from bookdesk.data.work_repository import WorkRepository
from bookdesk.vocabulary.people import person_key

TITLES = ["The Left Hand of Darkness: A Novel", "Dune", "Dune - Messiah", "L'Étranger", "A Wizard of Earthsea",
          "10:04", "The Dispossessed", "Kindred", "Ænigma", "Solaris"]
PEOPLE = ["Ursula K. Le Guin", "Le Guin, Ursula K.", "Frank Herbert", "Albert Camus", "Octavia E. Butler",
          "Stanisław Lem", "J.R.R. Tolkien", "Ben Lerner"]


def index_of(catalog, keys: NameKeys | None = None) -> dict:  # noqa: ANN001
    """What the import would match by name: remembered keys (or a fresh NameKeys), and keys worked out here."""
    with catalog.read() as session:
        repo = ImportRepository(session)
        index = LibraryIndex()
        if keys is None:
            index.load_works(repo)
        else:
            for work_id, key in keys.keys(repo.work_names()):
                index.works_by_name.setdefault(key, work_id)
        worked_out: dict = {}
        for work_id, title, authors in repo.work_names():
            worked_out.setdefault((title_key(title), person_key(first_author(authors))), work_id)
    return {"index": index.works_by_name, "worked_out": worked_out}


def test_remembered_keys_follow_renames_new_books_and_removals(catalog) -> None:  # noqa: ANN001
    rng = random.Random(14)
    with catalog.write() as session:
        ids = WorkRepository(session).add_many([
            NewWork(title=f"{rng.choice(TITLES)} {n % 7 or ''}".strip(),
                    contributors=[Contributor(rng.choice(PEOPLE))]) for n in range(60)])
    first = index_of(catalog)
    assert first["index"] == first["worked_out"]
    library = LibraryService(catalog)
    for round_no in range(4):
        for work_id in rng.sample(ids, 8):
            library.edit(work_id, "title", f"{rng.choice(TITLES)} {round_no}")
        for work_id in rng.sample(ids, 4):
            library.edit(work_id, "authors", [rng.choice(PEOPLE)])
        with catalog.write() as session:
            ids += WorkRepository(session).add_many([NewWork(title=rng.choice(TITLES) + f" new {round_no}",
                                                             contributors=[Contributor(rng.choice(PEOPLE))])])
        gone = ids.pop(rng.randrange(len(ids)))
        with catalog.write() as session:
            WorkRepository(session).delete([gone])
        again = index_of(catalog)  # the catalog's remembered keys, brought up to date
        assert again["index"] == again["worked_out"] == index_of(catalog, NameKeys())["index"]


def test_each_catalog_has_keys_of_its_own(tmp_path) -> None:  # noqa: ANN001
    assert name_keys_of(str(tmp_path / "a.sqlite")) is name_keys_of(str(tmp_path / "a.sqlite"))
    assert name_keys_of(str(tmp_path / "a.sqlite")) is not name_keys_of(str(tmp_path / "b.sqlite"))

