"""The import preview and Activity count books as the Library does: an ebook and its audiobook coming in
together are one new book, not "1 new formats of books you have" on an empty library."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_an_ebook_and_its_audiobook_into_an_empty_library_are_one_new_book(qtbot, make_window, service,
                                                                          tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(FIXTURES / "ebooks" / "lantern.epub", folder / "lantern.epub")
    shutil.copy(FIXTURES / "audio" / "lantern.m4b", folder / "lantern.m4b")
    window = make_window(service)

    window.imports.start([folder])
    qtbot.waitUntil(lambda: window.imports.preview_dialog is not None, timeout=20000)
    preview = window.imports.preview_dialog.summary.text()
    assert "<b>1</b> new book " in preview + " " and "books you have" not in preview, preview
    assert "formats" not in preview, preview  # one more format, said in the singular
    window.imports.preview_dialog.import_button.click()

    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == 1, timeout=20000)
    qtbot.waitUntil(lambda: "Ref" in window.status_label.text(), timeout=5000)
    assert "1 book added" in window.status_label.text(), window.status_label.text()
    window.show_view("activity")
    [job] = [j for j in window.activity_view.model.records if j.kind == "import"]
    assert job.summary.startswith("1 book added"), job.summary
