"""The welcome wizard: a new person keeps or chooses the library folder, picks the providers with
optional tokens (into the SecretStore, never the settings) and learns how to add books."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN, InMemorySecretStore
from bookdesk.core.settings import save_settings, settings_path
from bookdesk.ui.first_run import (
    BOOKS,
    LIBRARY,
    PROVIDERS_PAGE,
    WELCOME,
    FirstRunWizard,
    is_first_run,
    mark_done,
)


@pytest.fixture
def secrets() -> InMemorySecretStore:
    return InMemorySecretStore()


@pytest.fixture
def chosen() -> list[str]:
    """What the folder chooser answers next (the tests' stand-in for the file dialog)."""
    return []


@pytest.fixture
def wizard(qtbot, secrets, tmp_path, chosen) -> FirstRunWizard:
    made = FirstRunWizard(secrets, tmp_path / "Default Library",
                          choose_folder=lambda _parent, _title, _start: chosen.pop(0) if chosen else "")
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def finish(wizard: FirstRunWizard) -> None:
    wizard.button(QWizard.WizardButton.FinishButton).click()


def test_the_wizard_shows_on_a_first_start_only(tmp_path):
    config = tmp_path / "config"
    assert is_first_run(config)
    mark_done(config)
    assert not is_first_run(config)
    other = tmp_path / "other"
    other.mkdir()
    (other / "settings.json").write_text("{}")  # someone who set BookDesk up before the wizard existed
    assert not is_first_run(other)


def test_keeping_the_default_library_and_every_provider(wizard, secrets, tmp_path):
    assert wizard.currentId() == WELCOME
    assert "Welcome" in wizard.currentPage().title()
    wizard.next()
    assert wizard.currentId() == LIBRARY
    assert wizard.library_page.keep_default.isChecked()
    assert "will be made in" in wizard.library_page.note.text()
    wizard.next()
    assert wizard.currentId() == PROVIDERS_PAGE
    assert all(box.isChecked() for box in wizard.providers_page.enabled.values())
    wizard.next()
    assert wizard.currentId() == BOOKS
    finish(wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.library_folder() == tmp_path / "Default Library"
    settings = wizard.result_settings()
    assert settings.providers() == ["hardcover", "openlibrary", "googlebooks", "audnexus"]
    assert settings.watch_folder == "" and not settings.watch_enabled
    assert secrets.get(HARDCOVER_TOKEN) is None


def test_a_chosen_folder_is_kept_going_back_and_forth(wizard, tmp_path, chosen):
    books = tmp_path / "My Books"
    books.mkdir()
    wizard.next()
    page = wizard.library_page
    page.use_other.setChecked(True)
    assert page.folder.isEnabled() and page.browse.isEnabled()
    chosen.append(str(books))
    page.browse.click()
    assert page.folder.text() == str(books)
    wizard.next()
    wizard.back()
    assert wizard.currentId() == LIBRARY and page.use_other.isChecked() and page.folder.text() == str(books)
    wizard.next()
    wizard.next()
    finish(wizard)
    assert wizard.library_folder() == books


def test_a_folder_that_holds_a_library_is_said_to_be_opened(wizard, tmp_path):
    existing = tmp_path / "Existing"
    existing.mkdir()
    (existing / "bookdesk.sqlite3").write_bytes(b"")
    wizard.next()
    wizard.library_page.use_other.setChecked(True)
    wizard.library_page.folder.setText(str(existing))
    assert "library in" in wizard.library_page.note.text() and "opened" in wizard.library_page.note.text()


@pytest.mark.parametrize("typed", ["", "Books/here", "a-file"])
def test_a_folder_that_cannot_be_used_keeps_the_wizard_on_that_page(wizard, tmp_path, typed):
    if typed == "a-file":
        (tmp_path / "a-file").write_text("not a folder")
        typed = str(tmp_path / "a-file")
    wizard.next()
    wizard.library_page.use_other.setChecked(True)
    wizard.library_page.folder.setText(typed)
    wizard.next()
    assert wizard.currentId() == LIBRARY
    assert wizard.library_page.note.text()  # says what is wrong


def test_tokens_go_to_the_secret_store_and_never_into_the_settings(wizard, secrets):
    wizard.next()
    wizard.next()
    page = wizard.providers_page
    page.enabled["googlebooks"].setChecked(False)
    page.tokens["hardcover"].setText("  hc-wizard-token-1  ")
    page.tokens["googlebooks"].setText("AIza-wizard-key")
    assert "no system keyring" in page.keyring_note.text()
    wizard.next()
    wizard.back()
    assert page.tokens["hardcover"].text().strip() == "hc-wizard-token-1"
    wizard.next()
    finish(wizard)
    assert secrets.get(HARDCOVER_TOKEN) == "hc-wizard-token-1"
    assert secrets.get(GOOGLEBOOKS_KEY) == "AIza-wizard-key"
    settings = wizard.result_settings()
    assert settings.providers() == ["hardcover", "openlibrary", "audnexus"]
    save_settings(settings)
    written = settings_path().read_text(encoding="utf-8")
    assert "hc-wizard-token-1" not in written and "AIza-wizard-key" not in written


def test_at_least_one_provider_must_stay_on(wizard):
    wizard.next()
    wizard.next()
    for box in wizard.providers_page.enabled.values():
        box.setChecked(False)
    wizard.next()
    assert wizard.currentId() == PROVIDERS_PAGE
    assert "at least one" in wizard.providers_page.problem.text()


def test_a_watch_folder_is_optional_and_checked(wizard, tmp_path, chosen):
    incoming = tmp_path / "Incoming"
    incoming.mkdir()
    for _ in range(3):
        wizard.next()
    page = wizard.books_page
    assert "Drop" in page.hint.text() and "File → Import Files…" in page.hint.text()
    assert not page.watch_folder.isEnabled()
    page.watch.setChecked(True)
    finish(wizard)
    assert wizard.isVisible() and "Choose the folder" in page.problem.text()
    page.watch_folder.setText(str(tmp_path / "missing"))
    finish(wizard)
    assert wizard.isVisible() and "not a folder" in page.problem.text()
    chosen.append(str(incoming))
    page.browse.click()
    finish(wizard)
    assert not wizard.isVisible()
    settings = wizard.result_settings()
    assert settings.watch_folder == str(incoming) and settings.watch_enabled


def test_cancelling_stores_no_token(wizard, secrets):
    wizard.next()
    wizard.next()
    wizard.providers_page.tokens["hardcover"].setText("hc-not-wanted")
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert secrets.get(HARDCOVER_TOKEN) is None


def test_the_wizard_starts_from_the_settings_it_is_given(qtbot, secrets, tmp_path):
    from bookdesk.core.settings import Settings

    settings = Settings(providers_enabled={"hardcover": False, "openlibrary": True, "googlebooks": True,
                                           "audnexus": True}, import_mode="move")
    wizard = FirstRunWizard(secrets, Path(tmp_path / "Lib"), settings)
    qtbot.addWidget(wizard)
    assert not wizard.providers_page.enabled["hardcover"].isChecked()
    assert wizard.result_settings().import_mode == "move"
