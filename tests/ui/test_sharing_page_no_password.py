"""Settings → Sharing and the tray after a restart without a keyring: the user name is kept, the password
was not, and both say that this run has no password for that user (not that none is set)."""

from __future__ import annotations

from bookdesk.core.secrets import SHARING_OPDS_PASSWORD, InMemorySecretStore
from bookdesk.core.settings import Settings, save_settings
from bookdesk.serve.server import listening_socket
from bookdesk.ui.settings.sharing_page import SharingPage


def _says_this_run_lacks_it(text: str) -> None:
    assert "This run has no password for the e-readers' user “reader”" in text
    assert "BOOKDESK_SHARING_OPDS_PASSWORD" in text and "type it again" in text


def test_the_page_says_this_run_has_no_password_for_the_user(qtbot):
    page = SharingPage(Settings(sharing_opds_user="reader"), InMemorySecretStore())
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.opds_user.text() == "reader" and page.opds_password.text() == ""
    _says_this_run_lacks_it(page.keyring_note.text())


def test_the_page_says_nothing_of_a_missing_password_when_this_run_has_it(qtbot):
    given = InMemorySecretStore({SHARING_OPDS_PASSWORD: "shelf of mine"})  # from the environment, say
    page = SharingPage(Settings(sharing_opds_user="reader"), given)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert "no password" not in page.keyring_note.text()


def test_the_tray_says_this_run_has_no_password_for_the_user(qtbot, make_window, filled_service):
    sock = listening_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()
    save_settings(Settings(sharing_enabled=True, sharing_lan=True, sharing_port=port, sharing_opds_user="reader"))
    window = make_window(filled_service)
    try:
        qtbot.waitUntil(lambda: window.sharing.state.on, timeout=10_000)
        _says_this_run_lacks_it(window.tray_flow.tray.icon.toolTip())
        assert "no password" not in window.tray_flow.tray.sharing_action.text()  # the menu item stays short
    finally:
        window.sharing.stop()
