"""The preview of a calibre library uses its width: each book's title shown whole where the dialog has
room for it, not cut short beside empty space. The library is made by the real calibredb."""

from __future__ import annotations

from bookdesk.core.calibre.service import CalibreImportService
from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture  # noqa: F401 - fixtures


def test_the_preview_shows_each_title_whole_and_fills_its_width(qtbot, catalog, calibre_copy, run_job) -> None:
    from bookdesk.ui.dialogs.calibre_import_dialog import CalibreImportDialog

    folder, listed = calibre_copy
    importer = CalibreImportService(catalog)
    result, _ = run_job(catalog, lambda ctx: importer.preview(ctx, folder))
    dialog = CalibreImportDialog(result.value)
    qtbot.addWidget(dialog)
    dialog.resize(1400, 560)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    longest = max(table.fontMetrics().horizontalAdvance(book["title"]) for book in listed)

    def fitted() -> bool:
        used = sum(table.columnWidth(c) for c in range(dialog.model.columnCount()))
        return table.columnWidth(1) >= longest and used >= table.viewport().width() * 0.95

    qtbot.waitUntil(fitted, timeout=10000)
