"""The window says which files an undo kept in the library, and why."""

from __future__ import annotations

from pathlib import Path


def test_undo_says_which_books_it_kept_because_their_originals_are_gone(qtbot, make_window, service, make_book,
                                                                        import_books, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    make_book("Still Has Its Original", folder=folder)
    only = make_book("Original Deleted", folder=folder)
    _, report = import_books(service.catalog, [folder])
    only.unlink()
    window = make_window(service)

    window.imports.undo(report.correlation_id)

    qtbot.waitUntil(lambda: window.imports.undo_message is not None, timeout=20000)
    text = window.imports.undo_message.text()
    assert "1 kept in the library" in text and "Original Deleted" in text and "no longer exists" in text
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == 1, timeout=5000)
    window.imports.undo_message.close()
