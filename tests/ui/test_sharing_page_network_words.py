"""Settings → Sharing with the local network allowed: this computer is served over HTTPS too, and the page
keeps a line that says so (https://127.0.0.1:PORT/opds) beside the network's addresses."""

from __future__ import annotations

from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import Settings
from bookdesk.ui.settings.sharing_page import SharingPage


def test_the_page_keeps_this_computers_line_and_it_turns_https_with_the_network(qtbot):
    page = SharingPage(Settings(sharing_port=18791), InMemorySecretStore())
    qtbot.addWidget(page)
    assert "On this computer: http://127.0.0.1:18791/opds" in page.where.text()
    page.lan.setChecked(True)
    assert "On this computer: https://127.0.0.1:18791/opds" in page.where.text()
    assert "http://127.0.0.1" not in page.where.text()
    assert "Devices on the network: " in page.where.text()
