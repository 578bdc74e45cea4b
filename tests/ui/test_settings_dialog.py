"""One Settings dialog for everything: every page listed, each page keeps what the person chose, and
Save checks every page and keeps secrets only in the SecretStore; Cancel keeps nothing. The
Sources, Scheduler and Appearance pages have test files of their own."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bookdesk.core.secrets import HARDCOVER_TOKEN, source_secret
from bookdesk.core.settings import Settings, load_settings, save_settings, settings_path
from bookdesk.ui.settings.settings_dialog import PAGE_KEYS
from tests.ui import settings_dialog_harness
from tests.ui.settings_dialog_harness import save

# the dialog tests' fixtures (make_dialog finds the secret store by name, so it comes too)
secrets, make_dialog = settings_dialog_harness.secrets, settings_dialog_harness.make_dialog


def test_every_page_is_listed_and_the_dialog_opens_where_asked(make_dialog, qtbot):
    dialog = make_dialog(page="sources")
    titles = [dialog.page_list.item(i).text() for i in range(dialog.page_list.count())]
    assert titles == ["Library & Import", "Metadata Providers", "Sources & Clients", "Scheduler", "Sharing",
                      "Appearance"]
    assert dialog.current_page() == "sources" and dialog.page_title.text() == "Sources & Clients"
    dialog.page_list.setFocus()
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Down)  # the keyboard moves between pages
    assert dialog.current_page() == "scheduler"
    assert [dialog.pages[k].title for k in PAGE_KEYS] == titles


def test_the_library_page_shows_the_open_library_and_previews_the_template(make_dialog, tmp_path):
    dialog = make_dialog()
    page = dialog.library_page
    assert page.library_label.text() == str(tmp_path / "Library")
    page.template.setText("{author}/{title}.{ext}")
    assert page.preview.text().splitlines() == ["Ursula K. Le Guin/A Wizard of Earthsea.epub",
                                                "Octavia E. Butler/Kindred.m4b"]


def test_save_keeps_every_pages_choices_and_secrets_only_in_the_secret_store(make_dialog, secrets):
    saved: list[Settings] = []

    def on_save(settings: Settings) -> None:
        save_settings(settings)
        saved.append(settings)

    dialog = make_dialog(on_save=on_save)
    dialog.library_page.template.setText("{author}/{title}.{ext}")
    dialog.library_page.mode.setCurrentIndex(dialog.library_page.mode.findData("move"))
    dialog.show_page("providers")
    dialog.providers_page.tokens["hardcover"].setText("hc-token-123456")
    dialog.providers_page.order.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.show_page("sources")
    catalogs = dialog.sources_page.lists["opds"]
    catalogs.add()
    catalogs.editors["name"].setText("Home")
    catalogs.editors["url"].setText("http://192.168.1.5:8080/opds")
    catalogs.editors["password"].setText("catalog-pass-99")
    dialog.sources_page.concurrency.setValue(5)
    dialog.show_page("appearance")
    dialog.appearance_page.theme.setCurrentIndex(dialog.appearance_page.theme.findData("dark"))
    dialog.appearance_page.start_at_login.setChecked(True)
    save(dialog)

    assert dialog.result() == dialog.DialogCode.Accepted
    [edited] = saved
    assert dialog.edited == edited
    assert (edited.import_template, edited.import_mode) == ("{author}/{title}.{ext}", "move")
    assert edited.providers_enabled["hardcover"] is False
    assert edited.opds_catalogs == [{"name": "Home", "url": "http://192.168.1.5:8080/opds", "username": ""}]
    assert edited.download_concurrency == 5
    assert (edited.theme, edited.start_at_login, edited.close_to_tray) == ("dark", True, True)
    assert secrets.get(HARDCOVER_TOKEN) == "hc-token-123456"
    assert secrets.get(source_secret("opds", "Home")) == "catalog-pass-99"
    written = settings_path().read_text(encoding="utf-8")
    assert "hc-token-123456" not in written and "catalog-pass-99" not in written
    assert load_settings() == edited


def test_a_bad_value_shows_its_page_and_nothing_is_kept(make_dialog, secrets):
    saved: list[Settings] = []
    dialog = make_dialog(on_save=saved.append, page="appearance")
    dialog.providers_page.tokens["hardcover"].setText("hc-token-123456")
    dialog.library_page.template.setText("{author}/{shoe_size}.{ext}")
    assert "unknown field {shoe_size}" in dialog.library_page.preview.text()
    save(dialog)
    assert dialog.isVisible() and saved == []
    assert dialog.current_page() == "library"
    assert dialog.problem.text().startswith("Library & Import:") and "shoe_size" in dialog.problem.text()
    assert secrets.get(HARDCOVER_TOKEN) is None  # nothing is committed while a page is wrong

    dialog.library_page.template.setText("{author}/{title}.{ext}")
    dialog.show_page("providers")
    dialog.providers_page.urls["openlibrary"].setText("openlibrary.org")
    save(dialog)
    assert dialog.current_page() == "providers" and "http://" in dialog.problem.text()


def test_cancel_keeps_nothing(make_dialog, secrets):
    saved: list[Settings] = []
    dialog = make_dialog(on_save=saved.append)
    dialog.providers_page.tokens["googlebooks"].setText("AIza-key-1234")
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert saved == [] and dialog.edited is None and secrets.get("googlebooks-api-key") is None


def test_a_failing_save_is_said_and_the_dialog_stays(make_dialog):
    def on_save(settings: Settings) -> None:
        raise OSError(28, "No space left on device")

    dialog = make_dialog(on_save=on_save)
    save(dialog)
    assert dialog.isVisible() and "could not be saved" in dialog.problem.text()


def test_a_watch_folder_that_is_a_file_is_refused(make_dialog, tmp_path):
    (tmp_path / "notes.txt").write_text("a file")
    dialog = make_dialog()
    dialog.library_page.watch_folder.setText(str(tmp_path / "notes.txt"))
    dialog.library_page.watch_enabled.setChecked(True)
    save(dialog)
    assert "is a file" in dialog.problem.text() and dialog.result() != dialog.DialogCode.Accepted
