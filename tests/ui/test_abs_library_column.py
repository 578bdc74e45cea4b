"""The Library's "On server" column and filter: the books an Audiobookshelf server holds, after a pull
from the real server (tests/servers/audiobookshelf.py), whether or not a file of them is here."""

from __future__ import annotations

import asyncio

from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.audiobookshelf.pull import AbsPull
from bookdesk.core.jobs import JobRunner
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.ui.models.library_model import HEADERS, Column
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture
from tests.ui.test_library_filters import choose, titles


def test_the_on_server_column_and_filter_show_the_books_a_server_holds(
        make_window, service, import_books, make_book, loaded, abs_server):  # noqa: F811
    import_books(service.catalog, [make_book("Ash", author="Ann Archer"), make_book("Dune", author="Frank Herbert")])
    _, library_id, _ = abs_server.library([Book("Ann Archer/Ash", "Ash", "Ann Archer"),
                                           Book("Bo Baker/Bone", "Bone", "Bo Baker")])
    config = servers([{"name": "Home NAS", "url": abs_server.url, "libraries": [library_id]}])
    runner = JobRunner(service.catalog)
    pull = AbsPull(service.catalog, config, InMemorySecretStore({config[0].secret: abs_server.api_key}))
    assert asyncio.run(runner.run(runner.create("abs-pull", "Pull"), pull.run)).state == "succeeded"

    window = make_window(service)
    view = window.library_view

    assert HEADERS[Column.ON_SERVER] == "On server"
    shown = {view.model.index(r, Column.TITLE).data(): view.model.index(r, Column.ON_SERVER).data()
             for r in range(view.model.rowCount())}
    assert shown == {"Ash": "Home NAS", "Bone": "Home NAS", "Dune": ""}
    choose(view, "On a server", loaded)
    assert sorted(titles(view)) == ["Ash", "Bone"]
    view.table.selectRow(titles(view).index("Bone"))
    assert view.detail.files.text() == "None here; on Home NAS"
