"""File → Add a calibre Library… on a library made by the real calibredb whose PDF is gone from disk: the
preview says a book has files missing, and what the import did stays in a summary naming that book."""

from __future__ import annotations

from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture  # noqa: F401 - fixtures


def test_books_with_files_missing_are_named_where_the_import_is_summed_up(qtbot, make_window, service,
                                                                           calibre_copy) -> None:
    folder, listed = calibre_copy
    next(folder.rglob("*.pdf")).unlink()
    window = make_window(service)
    window.calibre.start(folder)
    qtbot.waitUntil(lambda: window.calibre.preview_dialog is not None, timeout=60000)
    assert "1 with files missing in calibre" in window.calibre.preview_dialog.plan.summary()

    window.calibre.preview_dialog.import_button.click()
    qtbot.waitUntil(lambda: window.calibre.summary_dialog is not None, timeout=60000)
    said = window.calibre.summary_dialog.headline.text()
    assert f"1 book with files missing in calibre: {listed[0]['title']} (PDF)" in said
    assert f"{len(listed)} added" in window.jobs.label.text()
