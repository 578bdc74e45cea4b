"""The main window as a person uses it: views, shortcuts, drag and drop, jobs, progress, Activity."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication

from bookdesk.errors import ImportFailedError
from bookdesk.ui.main_window import VIEWS, MainWindow


def drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_dropping_a_folder_imports_every_book_once(qtbot, make_window, service, corpus: Path) -> None:
    books = len(list(corpus.glob("*.epub")))
    window = make_window(service)
    assert window.library_view.model.rowCount() == 0
    drop(window, [corpus])
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == books, timeout=20000)
    assert f"{books} added" in window.status_label.text()
    drop(window, [corpus])
    qtbot.waitUntil(lambda: f"{books} already in the library" in window.status_label.text(), timeout=20000)
    assert window.library_view.model.rowCount() == books


def test_a_broken_file_in_a_drop_is_reported_with_its_ref_and_the_rest_imported(
        qtbot, make_window, service, corpus: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    for book in sorted(corpus.glob("*.epub"))[:3]:
        shutil.copy(book, batch / book.name)
    (batch / "broken.epub").write_bytes(b"PK\x03\x04 this is not really a zip")
    window = make_window(service)
    drop(window, [batch])
    qtbot.waitUntil(lambda: window.presenter.last_dialog is not None, timeout=20000)
    dialog = window.presenter.last_dialog
    assert "1 of 4 files could not be imported" in dialog.message_label.text()
    assert dialog.ref_label.text().startswith("Ref BD-")
    assert "broken.epub" in dialog.details.toPlainText()
    assert window.library_view.model.rowCount() == 3


def test_a_failed_job_appears_in_activity_with_its_ref_and_log(qtbot, make_window, service) -> None:
    window = make_window(service)

    async def fails(ctx):  # noqa: ANN001 - JobContext
        ctx.report(0.5, "halfway")
        raise ImportFailedError("The watch folder is gone.")

    handle = window.worker.submit("import", "Watch folder scan", fails)
    qtbot.waitUntil(lambda: window.presenter.last_dialog is not None, timeout=10000)
    assert window.presenter.last_dialog.ref_label.text() == f"Ref {handle.correlation_id}"
    window.show_view("activity")
    activity = window.activity_view
    row = next(r for r, job in enumerate(activity.model.records) if job.correlation_id == handle.correlation_id)
    state = activity.model.index(row, 0).data()
    assert state == "Failed"
    assert activity.model.index(row, 3).data() == handle.correlation_id
    assert activity.model.index(row, 5).data() == "The watch folder is gone."
    activity.select_job(handle.correlation_id)
    assert "job failed" in activity.log.toPlainText()
    assert handle.correlation_id in activity.log_title.text()


def test_the_status_bar_shows_a_running_job_and_cancel_stops_it(qtbot, make_window, service) -> None:
    window = make_window(service)

    async def slow(ctx):  # noqa: ANN001 - JobContext
        for step in range(1000):
            ctx.report(step / 1000, f"step {step}")
            await asyncio.sleep(0.01)

    handle = window.worker.submit("scan", "Slow scan", slow)
    qtbot.waitUntil(lambda: window.progress.isVisible() and window.progress.value() > 0, timeout=10000)
    assert "Slow scan" in window.status_label.text()
    assert window.cancel_button.isVisible()
    window.cancel_button.click()
    assert handle.result(10).state == "cancelled"
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=5000)
    assert service.job(handle.correlation_id).state == "cancelled"


def test_keyboard_shortcuts_switch_views_and_find_focuses_search(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    QApplication.setActiveWindow(window)  # offscreen has no window manager to activate it
    for number, name in enumerate(VIEWS, start=1):
        qtbot.keyClick(window, Qt.Key.Key_0 + number, Qt.KeyboardModifier.ControlModifier)
        assert window.current_view() == name
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    window.find_action.trigger()
    assert window.current_view() == "library"
    assert QApplication.focusWidget() is window.library_view.search


def test_series_and_downloads_views_are_real_lists(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    window.show_view("series")
    series = window.series_view
    names = {s.name for s in filled_service.series()}
    assert names and series.model.rowCount() == len(names)
    assert {series.model.index(r, 0).data() for r in range(series.model.rowCount())} == names
    window.show_view("downloads")
    downloads = window.downloads_view
    assert downloads.stack.currentWidget() is downloads.empty
    assert "progress" in downloads.empty.hint.text()


def test_the_window_remembers_its_size(qtbot, make_window, service) -> None:
    window = make_window(service)
    window.resize(700, 520)  # the offscreen screen is 800 x 600
    window.close()
    again = make_window(service)
    assert (again.width(), again.height()) == (700, 520)


def test_the_dark_system_scheme_gives_a_dark_palette(qtbot) -> None:
    from PySide6.QtGui import QPalette

    from bookdesk.ui.theme import apply_theme

    app = QApplication.instance()
    hints = app.styleHints()
    apply_theme(app)
    # The offscreen platform has no system theme to switch, so play the system's part.
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 100
    assert app.palette().color(QPalette.ColorRole.Text).lightness() > 150
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 150


def test_quitting_during_a_job_asks_first_and_stops_it_when_told(qtbot, make_window, service, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = make_window(service)

    async def slow(ctx):  # noqa: ANN001 - JobContext
        for step in range(2000):
            ctx.check_cancelled()
            ctx.report(step / 2000, f"step {step}")
            await asyncio.sleep(0.01)

    handle = window.worker.submit("import", "Import a big folder", slow)
    qtbot.waitUntil(lambda: window.progress.isVisible(), timeout=10000)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(parent, title, text, *args):  # noqa: ANN001
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    window.close()
    assert window.isVisible() and not handle.future.done()  # "No": nothing stops
    window.close()
    assert not window.isVisible()
    assert handle.result(10).state == "cancelled"
    assert "Import a big folder is still running" in asked[0]
