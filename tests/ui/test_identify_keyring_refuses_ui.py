"""Identify Selected with a keyring that will not give Hardcover's token: the other providers identify
the books and the status bar says Hardcover was skipped, with no error dialog."""

from __future__ import annotations

from bookdesk.core.secrets import HARDCOVER_TOKEN
from bookdesk.core.settings import Settings, save_settings
from tests.core.identify.test_identify_service import FakeProvider, book
from tests.fakes.refusing_secrets import RefusingFor
from tests.ui.test_identify_ui import library  # noqa: F401 - a fixture


def test_identify_selected_skips_hardcover_and_asks_open_library(qtbot, make_window, library, monkeypatch):  # noqa: F811
    open_library = FakeProvider("openlibrary", [book("openlibrary", "A Wizard of Earthsea", "Ursula K. Le Guin",
                                                     "9780547773742")])
    monkeypatch.setattr("bookdesk.core.providers.registry.OpenLibraryProvider", lambda *a, **k: open_library)
    save_settings(Settings(provider_order=["hardcover", "openlibrary"],
                           providers_enabled={"hardcover": True, "openlibrary": True, "googlebooks": False,
                                              "audnexus": False}))
    service, (wizard, _tombs) = library
    window = make_window(service)
    window.services.secrets = RefusingFor(HARDCOVER_TOKEN)
    window.library_view.table.selectAll()
    window.identify_action.trigger()
    qtbot.waitUntil(lambda: "Identify:" in window.status_label.text(), timeout=10000)

    said = window.status_label.text()
    assert "Hardcover skipped: your keyring did not give its token" in said
    assert said.count("Hardcover") == 1, said
    assert "1 identified" in said and service.detail(wizard).title == "A Wizard of Earthsea"
    assert open_library.asked and window.presenter.dialogs == []
