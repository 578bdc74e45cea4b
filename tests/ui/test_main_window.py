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


def preview_then_import(qtbot, window: MainWindow, paths: list[Path], mode: str = "copy"):  # noqa: ANN001
    """Drop ``paths``, wait for the preview, choose ``mode`` and press Import."""
    window.imports.preview_dialog = None
    drop(window, paths)
    qtbot.waitUntil(lambda: window.imports.preview_dialog is not None, timeout=20000)
    dialog = window.imports.preview_dialog
    dialog.mode.setCurrentIndex(dialog.mode.findData(mode))
    return dialog


def test_dropping_a_folder_previews_then_imports_every_book_once(qtbot, make_window, service, corpus: Path) -> None:
    books = len(list(corpus.glob("*.epub")))
    window = make_window(service)
    assert window.library_view.model.rowCount() == 0
    dialog = preview_then_import(qtbot, window, [corpus])
    assert dialog.model.rowCount() == books
    assert dialog.import_button.text() == f"Import {books} books"
    assert window.library_view.model.rowCount() == 0  # a preview changes nothing
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == books, timeout=20000)
    qtbot.waitUntil(lambda: f"{books} added" in window.status_label.text(), timeout=5000)

    again = preview_then_import(qtbot, window, [corpus])
    assert "already in your library" in again.summary.text()
    assert not again.import_button.isEnabled()
    again.reject()


def test_a_broken_file_shows_in_the_preview_and_in_the_summary_with_its_ref(
        qtbot, make_window, service, corpus: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    for book in sorted(corpus.glob("*.epub"))[:3]:
        shutil.copy(book, batch / book.name)
    (batch / "broken.epub").write_bytes(b"PK\x03\x04 this is not really a zip")
    window = make_window(service)
    dialog = preview_then_import(qtbot, window, [batch])
    first = dialog.model.records[0]
    assert first.status == "failed" and first.source.name == "broken.epub"  # problems come first
    assert "1 that cannot be imported" in dialog.summary.text()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == 3, timeout=20000)
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None, timeout=5000)
    summary = window.imports.summary_dialog
    assert summary.failures.rowCount() == 1
    assert summary.failures.index(0, 0).data().endswith("broken.epub")
    assert summary.failures.index(0, 2).data().startswith("BD-")
    assert "3 added" in summary.headline.text()


def test_moving_books_in_and_undoing_puts_them_back(qtbot, make_window, service, corpus: Path,
                                                   monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    originals = sorted(p.name for p in corpus.glob("*.epub"))
    window = make_window(service)
    dialog = preview_then_import(qtbot, window, [corpus], mode="move")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == len(originals), timeout=20000)
    qtbot.waitUntil(lambda: not list(corpus.glob("*.epub")), timeout=5000)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.undo_import_action.trigger()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == 0, timeout=20000)
    assert sorted(p.name for p in corpus.glob("*.epub")) == originals


def test_the_import_settings_preview_the_path_and_refuse_a_bad_template(qtbot, make_window, service) -> None:
    window = make_window(service)
    dialog = window.edit_settings("library")
    qtbot.addWidget(dialog)
    page = dialog.library_page
    # A folder name may not end in a dot on Windows, so "K." loses it there.
    assert "Le Guin, Ursula K/Earthsea Cycle/1 - A Wizard of Earthsea/" in page.preview.text()
    assert "Butler, Octavia E/Kindred/Kindred - Octavia E. Butler.m4b" in page.preview.text()
    page.template.setText("{author}/{shoe_size}.{ext}")
    assert "unknown field {shoe_size}" in page.preview.text()
    dialog.accept()
    assert dialog.isVisible() and "shoe_size" in dialog.problem.text()
    page.template.setText("{author}/{title}.{ext}")
    assert page.preview.text().splitlines()[0] == "Ursula K. Le Guin/A Wizard of Earthsea.epub"
    dialog.accept()
    from bookdesk.core.settings import load_settings

    assert load_settings().import_template == "{author}/{title}.{ext}"
    assert window.imports.settings.import_template == "{author}/{title}.{ext}"


def test_books_dropped_in_the_watch_folder_are_imported_once_settled(qtbot, make_window, service, corpus: Path,
                                                                    tmp_path: Path) -> None:
    from bookdesk.core.importer.watch import WatchFolder

    window = make_window(service)
    watched = tmp_path / "Incoming"
    watched.mkdir()
    book = sorted(corpus.glob("*.epub"))[0]
    shutil.copy(book, watched / book.name)
    class CountedWatch(WatchFolder):
        """The real watch folder, noting each answer it gives."""

        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            self.answers: list[list[Path]] = []

        def ready(self) -> list[Path]:
            found = super().ready()
            self.answers.append(found)
            return found

    window.imports.settings.watch_mode = "move"
    window.imports.watch = watch = CountedWatch(watched, settle_seconds=0)
    window.imports.watch_timer.timeout.emit()  # first look: seen
    qtbot.waitUntil(lambda: len(watch.answers) == 1, timeout=20000)  # the look answered, not a guess at how long
    assert watch.answers == [[]] and [j for j in service.jobs() if j.kind == "import"] == []
    assert window.library_view.model.rowCount() == 0
    window.imports.watch_timer.timeout.emit()  # second look: unchanged, so settled
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == 1, timeout=20000)
    qtbot.waitUntil(lambda: not (watched / book.name).exists(), timeout=5000)


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
    qtbot.waitUntil(lambda: "job failed" in activity.log.toPlainText())  # read on the worker
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


def test_series_and_downloads_views_are_real_lists(qtbot, make_window, filled_service, loaded) -> None:
    window = make_window(filled_service)
    window.show_view("series")
    series = loaded(window.series_view)
    names = {s.name for s in filled_service.series()}
    assert names and series.model.rowCount() == len(names)
    assert {series.model.index(r, 0).data() for r in range(series.model.rowCount())} == names
    window.show_view("downloads")
    downloads = window.downloads_view
    qtbot.waitUntil(lambda: downloads.stack.currentWidget() is downloads.empty)
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


def test_quitting_during_a_job_closes_the_window_at_once_and_leaves_the_job_to_stop(qtbot, make_window, service,
                                                                                     monkeypatch) -> None:
    """No event loop spun inside closeEvent while the job winds down: whatever else is queued (here,
    what lets the job end) runs after the window has closed, not in the middle of closing it."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    window = make_window(service)
    gate = threading.Event()

    async def deaf(ctx):  # noqa: ANN001 - JobContext
        ctx.report(0.1, "reading")
        gate.wait(30)  # deaf to a cancel until let go, then it sees it at its next step
        ctx.check_cancelled()

    handle = window.worker.submit("import", "Import a big folder", deaf)
    qtbot.waitUntil(lambda: window.progress.isVisible(), timeout=10000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    QTimer.singleShot(0, gate.set)
    window.close()
    assert not window.isVisible()
    assert not gate.is_set()  # closing did not wait for the job
    qtbot.waitUntil(gate.is_set)
    assert handle.result(10).state == "cancelled"


def test_a_job_is_undone_from_the_activity_view(qtbot, make_window, service, corpus: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = make_window(service)
    dialog = preview_then_import(qtbot, window, [corpus])
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() > 0, timeout=20000)
    window.show_view("activity")
    activity = window.activity_view
    imports = [j for j in activity.model.records if j.kind == "import"]
    qtbot.waitUntil(lambda: service.job(imports[0].correlation_id).state == "succeeded", timeout=5000)
    activity.refresh()
    activity.select_job(imports[0].correlation_id)
    assert activity.undo_button.isEnabled()
    previews = [j for j in activity.model.records if j.kind == "import-preview"]
    activity.select_job(previews[0].correlation_id)
    assert not activity.undo_button.isEnabled()  # a preview changed nothing
    activity.select_job(imports[0].correlation_id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    activity.undo_button.click()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == 0, timeout=20000)
