"""Identifying from the window: Identify Selected, the review dialog, the providers page."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from bookdesk.core.identify.service import IdentifyService
from bookdesk.core.secrets import HARDCOVER_TOKEN
from bookdesk.core.settings import settings_path
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.work_repository import WorkRepository
from tests.core.identify.test_identify_service import FakeProvider, book


@pytest.fixture
def library(service):
    with service.catalog.write() as session:
        repo = WorkRepository(session)
        ids = [repo.add(NewWork("wizard of earthsea", [Contributor("Le Guin")], identifiers={"isbn": "9780547773742"})),
               repo.add(NewWork("tombs", [Contributor("Le Guin")]))]
    return service, ids


@pytest.fixture
def fake_providers(monkeypatch):
    provider = FakeProvider("openlibrary", [
        book("openlibrary", "A Wizard of Earthsea", "Ursula K. Le Guin", "9780547773742"),
        book("openlibrary", "The Tombs of Atuan", "Ursula K. Le Guin", "9780689845369"),
        book("openlibrary", "The Tombs of Tutankhamun", "Ursula K. Le Guin", "9780000000002"),
    ])

    def make(catalog, client, settings, secrets):  # noqa: ANN001
        return IdentifyService(catalog, [provider], order=["openlibrary"])

    monkeypatch.setattr("bookdesk.core.identify.make_service.identify_service", make)
    return provider


def test_identify_selected_applies_clear_matches_and_queues_the_rest(qtbot, make_window, library, fake_providers):
    service, (wizard, tombs) = library
    window = make_window(service)
    view = window.library_view
    view.table.selectAll()
    window.identify_action.trigger()
    qtbot.waitUntil(lambda: "Identify:" in window.status_label.text(), timeout=10000)
    assert "1 identified, 1 to review" in window.status_label.text()
    assert service.detail(wizard).title == "A Wizard of Earthsea"
    assert window.review_button.isVisible() and window.review_button.text() == "1 to review"
    titles = [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
    assert "A Wizard of Earthsea" in titles

    window.review_action.trigger()
    dialog = window.review_dialog
    qtbot.addWidget(dialog)
    assert dialog.items.count() == 1 and dialog.items.item(0).text() == "tombs"
    assert dialog.candidate.count() == 2
    atuan = next(i for i in range(dialog.candidate.count()) if "Atuan" in dialog.candidate.itemText(i))
    dialog.candidate.setCurrentIndex(atuan)
    fields = {dialog.fields.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(dialog.fields.rowCount())}
    assert dialog.fields.item(fields["title"], 2).text() == "The Tombs of Atuan"
    assert dialog.fields.item(fields["title"], 1).text() == "tombs"
    dialog.fields.item(fields["title"], 0).setCheckState(Qt.CheckState.Checked)  # a doubtful match: ticked by hand
    dialog.fields.item(fields["authors"], 0).setCheckState(Qt.CheckState.Unchecked)
    dialog.fields.item(fields["authors"], 4).setCheckState(Qt.CheckState.Checked)  # and lock it
    assert "Score" in dialog.explain.text()
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.items.count() == 0, timeout=10000)
    detail = service.detail(tombs)
    assert detail.title == "The Tombs of Atuan" and detail.authors == ["Le Guin"]
    assert "authors" in detail.locked_fields
    assert not window.review_button.isVisible()


def test_identify_with_every_provider_down_says_offline_in_the_status_line(qtbot, make_window, library,
                                                                          monkeypatch):
    down = FakeProvider("openlibrary", [], fails=True)
    monkeypatch.setattr("bookdesk.core.identify.make_service.identify_service",
                        lambda catalog, client, settings, secrets: IdentifyService(catalog, [down]))
    service, _ = library
    window = make_window(service)
    window.library_view.table.selectAll()
    window.identify_action.trigger()
    qtbot.waitUntil(lambda: "Identify:" in window.status_label.text(), timeout=10000)
    assert "2 not looked up (offline: no provider could be reached)" in window.status_label.text()
    assert "0 not found" in window.status_label.text()


def test_the_providers_page_keeps_tokens_out_of_the_settings_file(qtbot, make_window, service):
    window = make_window(service)
    dialog = window.edit_settings("providers")
    qtbot.addWidget(dialog)
    page = dialog.providers_page
    assert "no system keyring" in page.keyring_note.text()
    page.tokens["hardcover"].setText("hc-secret-123")
    page.urls["openlibrary"].setText("http://127.0.0.1:9/ol")
    page.order.setCurrentRow(page.order.count() - 1)
    last = page.order.currentItem().data(Qt.ItemDataRole.UserRole)
    page.order.currentItem().setCheckState(Qt.CheckState.Unchecked)
    dialog.accept()
    assert window.secrets.get(HARDCOVER_TOKEN) == "hc-secret-123"
    saved = settings_path().read_text()
    assert "hc-secret-123" not in saved
    data = json.loads(saved)
    assert data["provider_urls"] == {"openlibrary": "http://127.0.0.1:9/ol"}
    assert data["providers_enabled"][last] is False and last not in window.settings.providers()
