"""Undo Last Import asks first, and the question says what would go: how many books, and from where."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tests.ui.test_main_window import preview_then_import


def test_the_question_says_how_many_books_and_where_they_came_from(qtbot, make_window, service, corpus: Path,
                                                                    tmp_path: Path, monkeypatch) -> None:
    batch = tmp_path / "From the Old Laptop"
    batch.mkdir()
    for book in sorted(corpus.glob("*.epub"))[:3]:
        shutil.copy(book, batch / book.name)
    window = make_window(service)
    dialog = preview_then_import(qtbot, window, [batch])
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == 3, timeout=20000)

    asked: list[str] = []

    def answer(_parent, _title, text, *_a, **_k):  # noqa: ANN001, ANN202 - QMessageBox.question's
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.undo_import_action.trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert "3 books" in asked[0]
    assert str(batch) in asked[0]
    assert "originals there stay as they are" in asked[0]  # copied in: nothing goes back anywhere
    assert window.library_view.model.rowCount() == 3  # No keeps them
