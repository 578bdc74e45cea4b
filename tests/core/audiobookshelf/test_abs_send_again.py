"""Sending a book the server has already (sent before, or pulled from it) says it is on that server
already, not that a folder is in the way or that there is no file here."""

from __future__ import annotations

from tests.core.audiobookshelf.test_abs_send import _send
from tests.servers.audiobookshelf import Book, abs_server, lay  # noqa: F401 - the session fixture


def test_sending_a_book_already_on_the_server_says_it_is_there_already(
        abs_server, service, import_books, tmp_path):  # noqa: F811
    result, _ = import_books(service.catalog, [lay(tmp_path / "in", Book("cove", "Cove", "Cy Cole", fmt="m4b"))])
    assert result.state == "succeeded", result.error
    [work_id] = service.work_ids()
    library_name, _, _ = abs_server.library([])
    first = _send(service, abs_server, library_name, [work_id])
    assert first.value.sent, first.value.failed

    again = _send(service, abs_server, library_name, [work_id])

    assert again.value.sent == []
    [failed] = again.value.failed
    assert "“Cove” is on Home already" in failed["error"]
