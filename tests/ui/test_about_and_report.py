"""About BookDesk (version, where things are, Show in Folder) and Report a Problem (a preview of
exactly what is sent, secrets masked, saved where the person says)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication

from bookdesk import PROJECT_URL, __version__, correlation
from bookdesk.core import paths
from bookdesk.core.secrets import HARDCOVER_TOKEN, InMemorySecretStore
from bookdesk.core.settings import Settings
from bookdesk.ui.dialogs.about_dialog import AboutDialog
from bookdesk.ui.dialogs.report_problem_dialog import ReportProblemDialog

log = logging.getLogger("bookdesk.tests.report_ui")


@pytest.fixture
def opened() -> list[QUrl]:
    return []


@pytest.fixture
def about(qtbot, tmp_path, opened) -> AboutDialog:
    (tmp_path / "Library").mkdir()
    dialog = AboutDialog(tmp_path / "Library" / "bookdesk.sqlite3", opener=lambda url: opened.append(url) or True)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_about_says_the_version_and_where_the_logs_and_the_catalog_are(about, tmp_path):
    assert about.title.text() == f"BookDesk {__version__}"
    assert about.log_row.value.text() == str(paths.log_dir())
    assert about.catalog_row.value.text() == str(tmp_path / "Library" / "bookdesk.sqlite3")
    assert "Python: 3." in about.versions.text() and "Qt: 6." in about.versions.text()
    assert PROJECT_URL in about.link.text()


def test_show_in_folder_opens_the_folder_and_copy_copies_the_path(about, opened, tmp_path):
    about.catalog_row.show_button.click()
    about.log_row.show_button.click()
    assert [url.toLocalFile() for url in opened] == [str(tmp_path / "Library"), str(paths.log_dir())]
    about.catalog_row.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(tmp_path / "Library" / "bookdesk.sqlite3")
    about.copy_button.click()
    assert QGuiApplication.clipboard().text().startswith(f"BookDesk {__version__}\nPython: ")


def test_the_project_link_and_report_button(about, opened, qtbot):
    about.link.linkActivated.emit(PROJECT_URL)
    assert opened[-1] == QUrl(PROJECT_URL)
    with qtbot.waitSignal(about.report_requested):
        about.report_button.click()


def test_about_without_a_library_says_so(qtbot):
    dialog = AboutDialog(None, opener=lambda url: True)
    qtbot.addWidget(dialog)
    assert dialog.catalog_row.value.text() == "no library is open"
    assert not dialog.catalog_row.show_button.isEnabled()


# ----- Report a Problem -------------------------------------------------------------------------


@pytest.fixture
def job_logged() -> str:
    """A failed job whose lines mention a token outright."""
    with correlation.bound("BD-7K3Q9"):
        log.info("checking 3 series")
        log.error("Hardcover refused hc-ui-secret-token")
    log.info("an unrelated line")
    return "BD-7K3Q9"


@pytest.fixture
def make_report(qtbot, tmp_path, opened):
    answers: list[str] = []

    def make(**options) -> tuple[ReportProblemDialog, list[str]]:
        dialog = ReportProblemDialog(Settings(), InMemorySecretStore({HARDCOVER_TOKEN: "hc-ui-secret-token"}),
                                     choose_file=lambda _parent, suggested: answers.pop(0) if answers else "",
                                     opener=lambda url: opened.append(url) or True, save_folder=tmp_path,
                                     **options)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog, answers

    return make


def test_the_preview_holds_the_jobs_lines_with_the_token_masked(make_report, job_logged):
    dialog, _ = make_report(reference=job_logged)
    assert dialog.reference.text() == "BD-7K3Q9"
    text = dialog.preview.toPlainText()
    assert "checking 3 series" in text and "Hardcover refused ***" in text
    assert "hc-ui-secret-token" not in text and "an unrelated line" not in text
    assert "Qt: 6." in text  # what only the UI knows is in it too
    assert "== Settings ==" in text


def test_typing_a_reference_updates_the_preview_and_nonsense_is_refused(make_report, job_logged, qtbot):
    dialog, _ = make_report()
    assert "an unrelated line" in dialog.preview.toPlainText()  # no reference: the latest lines
    dialog.reference.setText("bd-7k3q9")
    dialog.reference.textEdited.emit("bd-7k3q9")
    qtbot.waitUntil(lambda: "Reference: BD-7K3Q9" in dialog.preview.toPlainText())
    dialog.reference.setText("what?")
    dialog.update_preview()
    assert "look like BD-7K3Q9" in dialog.status.text() and not dialog.save_button.isEnabled()


def test_save_report_writes_the_file_where_the_person_says(make_report, job_logged, tmp_path, opened):
    dialog, answers = make_report(reference=job_logged)
    dest = tmp_path / "sent" / "my-report"
    answers.append(str(dest))
    dialog.save_button.click()
    written = Path(str(dest) + ".txt")
    assert dialog.saved_to == written and written.exists()
    text = written.read_text(encoding="utf-8")
    assert "Reference: BD-7K3Q9" in text and "hc-ui-secret-token" not in text
    assert str(written) in dialog.status.text() and dialog.show_button.isVisible()
    dialog.show_button.click()
    assert opened[-1].toLocalFile() == str(written.parent)


def test_cancelling_the_file_dialog_writes_nothing(make_report, job_logged, tmp_path):
    dialog, _answers = make_report(reference=job_logged)
    assert dialog.save() is None
    assert not list(tmp_path.glob("*.txt")) and not dialog.show_button.isVisible()


def test_a_report_that_cannot_be_written_says_why(make_report, job_logged, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    dialog, answers = make_report(reference=job_logged)
    answers.append(str(blocker / "report.txt"))
    assert dialog.save() is None
    assert "could not be written" in dialog.status.text()


def test_report_a_problem_from_the_help_menu_offers_the_last_failed_job(qtbot, make_window, service):
    from bookdesk.core.jobs import JobEvent

    window = make_window(service)
    window.bridge.job_event.emit(JobEvent("BD-FAIL1", "import", "Import of 3 books", "failed", error="disk full"))
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    next(a for a in help_menu.actions() if a.text() == "&Report a Problem…").trigger()
    dialog = window.help.report_dialog
    qtbot.addWidget(dialog)
    assert dialog.reference.text() == "BD-FAIL1"
