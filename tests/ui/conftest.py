"""Fixtures for the GUI tests: a real library on disk, a real worker thread, the real main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bookdesk.core.library_service import LibraryService
from bookdesk.core.library_services import LibraryServices
from bookdesk.core.logging_setup import setup_logging
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import load_settings
from bookdesk.core.worker import Worker
from bookdesk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _logging(user_folders: Path) -> None:
    setup_logging()  # as the app does at start (into the test's own log folder), so Activity has lines


@pytest.fixture(scope="session", autouse=True)
def _gui_loop(qapp) -> None:  # noqa: ANN001 - pytest-qt's QApplication
    """The GUI's qasync loop, as the app makes it: qtbot's waits run its tasks (``bridge.start``)."""
    from bookdesk.ui.gui_loop import gui_loop

    gui_loop()


@pytest.fixture(autouse=True)
def _no_key_held(qapp) -> None:  # noqa: ANN001 - pytest-qt's QApplication
    """Every test starts with no key held. A click with Ctrl (Ctrl+Z) leaves Qt believing Ctrl is still
    down (the release carries the modifier), and a later test's ``selectRow`` then toggles the row
    instead of selecting it: a test that passed alone failed after another in the same process."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    QTest.keyRelease(QWidget(), Qt.Key.Key_Control)  # a release with no modifier: nothing is held


@pytest.fixture(autouse=True)
def _qt_garbage_goes_on_the_gui_thread(qapp) -> Iterator[None]:  # noqa: ANN001 - pytest-qt's QApplication
    """After each test, what it let go of in Qt is destroyed here, on the GUI thread: first the objects it
    asked ``deleteLater`` of (a window a fixture closed), then the Python wrappers that only cycles keep
    (a window's connected lambdas make many). Left for later, they would be freed by whichever thread
    next ran a full collection, in a later test often a worker thread, and a widget must never be
    destroyed off the GUI thread.
    """
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture
def service(tmp_path: Path) -> Iterator[LibraryService]:
    opened = LibraryService.open(tmp_path / "Library")
    yield opened
    opened.close()


@pytest.fixture
def filled_service(service: LibraryService, corpus: Path, import_books) -> LibraryService:  # noqa: ANN001
    result, _report = import_books(service.catalog, [corpus])
    assert result.state == "succeeded", result.error
    return service


@pytest.fixture
def loaded(qtbot):  # noqa: ANN001 - pytest-qt fixture
    """Wait until a view shows the rows the worker reads for it (Series, Authors, Wanted, Library); gives
    the view back."""

    def wait(view):  # noqa: ANN001 - any view with ``loading``
        qtbot.waitUntil(lambda: not view.loading)
        return view

    return wait


@pytest.fixture
def make_window(qtbot):  # noqa: ANN001 - pytest-qt fixture
    """Build the main window over a service, with a running worker that is stopped afterwards; returned
    once it shows its first books (read on the worker), as a person first sees it."""
    made: list[tuple[MainWindow, Worker]] = []

    def build(service: LibraryService) -> MainWindow:
        worker = Worker(service.catalog)
        worker.start()
        window = MainWindow(LibraryServices(service, worker, load_settings(), InMemorySecretStore()))
        window.show()
        qtbot.waitExposed(window)
        made.append((window, worker))
        qtbot.waitUntil(lambda: not window.library_view.loading)
        return window

    yield build
    # Closed here rather than by qtbot: qtbot closes its widgets before fixtures end, while the worker
    # may still run a job the test left going, and the window would then ask whether to stop it.
    for window, worker in made:
        for dialog in list(window.presenter.dialogs):
            dialog.close()
        window.automation.stop()  # as the app does: the scheduler's loop ends before the worker's
        worker.stop()
        window._quitting = True
        window.close()
        window.services.close()
        window.deleteLater()
