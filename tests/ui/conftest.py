"""Fixtures for the GUI tests: a real library on disk, a real worker thread, the real main window."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookdesk.core.importer.service import ImportReport, ImportService
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.core.logging_setup import setup_logging
from bookdesk.core.worker import Worker
from bookdesk.ui.main_window import MainWindow

CORPUS_TOOL = Path(__file__).resolve().parents[3] / "shared" / "tools" / "make_corpus.py"


@pytest.fixture(autouse=True)
def _private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BOOKDESK_LOG_DIR", str(tmp_path / "logs"))
    setup_logging(folder=tmp_path / "logs")  # as the app does at start, so Activity has log lines


def make_corpus(out: Path, count: int) -> Path:
    subprocess.run([sys.executable, str(CORPUS_TOOL), str(out), str(count)], check=True,
                   stdout=subprocess.DEVNULL)
    return out


def import_into(service: LibraryService, *paths: Path) -> ImportReport:
    runner = JobRunner(service.catalog)
    importer = ImportService(service.catalog)
    ctx = runner.create("import", "Import for a test")
    result = asyncio.run(runner.run(ctx, lambda c: importer.run(c, list(paths))))
    assert result.state == "succeeded", result.error
    return result.value


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "books", 30)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[LibraryService]:
    opened = LibraryService.open(tmp_path / "Library")
    yield opened
    opened.close()


@pytest.fixture
def filled_service(service: LibraryService, corpus: Path) -> LibraryService:
    import_into(service, corpus)
    return service


@pytest.fixture
def make_window(qtbot):  # noqa: ANN001 - pytest-qt fixture
    """Build the main window over a service, with a running worker that is stopped afterwards."""
    made: list[tuple[MainWindow, Worker]] = []

    def build(service: LibraryService) -> MainWindow:
        worker = Worker(service.catalog)
        worker.start()
        window = MainWindow(service, worker)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append((window, worker))
        return window

    yield build
    for window, worker in made:
        for dialog in list(window.presenter.dialogs):
            dialog.close()
        worker.stop()
