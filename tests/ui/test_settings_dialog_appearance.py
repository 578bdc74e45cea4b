"""The Settings dialog's Appearance page: choices kept and shown again, closing to the tray offered
only with a tray, and a chosen theme applied to the running app."""

from __future__ import annotations

import json

from bookdesk.core.settings import load_settings, save_settings, settings_path
from tests.ui import settings_dialog_harness
from tests.ui.settings_dialog_harness import save

# the dialog tests' fixtures (make_dialog finds the secret store by name, so it comes too)
secrets, make_dialog = settings_dialog_harness.secrets, settings_dialog_harness.make_dialog


def test_appearance_choices_are_kept_and_shown_again(make_dialog):
    dialog = make_dialog(on_save=save_settings, page="appearance")
    page = dialog.appearance_page
    assert page.close_to_tray.isChecked() and not page.start_at_login.isChecked()
    page.theme.setCurrentIndex(page.theme.findData("light"))
    page.close_to_tray.setChecked(False)
    save(dialog)

    again = make_dialog(load_settings(), page="appearance").appearance_page
    assert again.theme.currentData() == "light"
    assert not again.close_to_tray.isChecked()
    data = json.loads(settings_path().read_text(encoding="utf-8"))
    assert (data["theme"], data["close_to_tray"]) == ("light", False)


def test_without_a_tray_closing_to_it_is_not_offered(make_dialog):
    page = make_dialog(page="appearance", tray_available=False).appearance_page
    assert not page.close_to_tray.isEnabled() and "no tray" in page.tray_note.text()


def test_a_chosen_theme_is_applied_to_the_running_app(qapp):
    from bookdesk.ui.settings.theme_choice import apply_theme_choice
    from bookdesk.ui.theme import dark_palette

    try:
        apply_theme_choice(qapp, "dark")
        assert qapp.palette().window().color() == dark_palette().window().color()
        apply_theme_choice(qapp, "light")
        assert qapp.palette().window().color() == qapp.style().standardPalette().window().color()
    finally:
        apply_theme_choice(qapp, "system")
