"""Settings → Sharing without a keyring that answers: opening Settings asks the keyring nothing, the page
asks for the e-readers' password only when it is shown, and says plainly where the password comes from
then (``BOOKDESK_SHARING_OPDS_PASSWORD``, each run) instead of ending anything."""

from __future__ import annotations

from bookdesk.core.secrets import SHARING_OPDS_PASSWORD, InMemorySecretStore
from bookdesk.core.settings import Settings
from bookdesk.ui.settings.sharing_page import SharingPage
from tests.fakes.refusing_secrets import RefusingFor


class Counting(RefusingFor):
    """A keyring that keeps secrets across runs, refusing the ones named, and counts what it is asked."""

    persistent = True

    def __init__(self, *refused: str, initial: dict[str, str] | None = None) -> None:
        super().__init__(*refused, initial=initial)
        self.asked = 0

    def get(self, name: str) -> str | None:
        self.asked += 1
        return super().get(name)


def shown(qtbot, secrets) -> SharingPage:  # noqa: ANN001 - pytest-qt fixture, a SecretStore
    page = SharingPage(Settings(), secrets)
    qtbot.addWidget(page)
    return page


def test_a_refusing_keyring_is_asked_only_when_the_page_shows_and_the_page_says_where_the_password_comes_from(qtbot):
    secrets = Counting(SHARING_OPDS_PASSWORD)
    page = shown(qtbot, secrets)
    assert secrets.asked == 0  # made with Settings: nothing asked yet
    page.show()
    qtbot.waitExposed(page)
    assert secrets.asked == 1
    assert "did not read" in page.keyring_note.text()
    assert "BOOKDESK_SHARING_OPDS_PASSWORD" in page.keyring_note.text()
    assert page.opds_password.placeholderText() == ""


def test_without_a_keyring_the_password_comes_from_the_environment_each_run(qtbot):
    page = shown(qtbot, InMemorySecretStore())
    page.show()
    qtbot.waitExposed(page)
    note = page.keyring_note.text()
    assert "no system keyring" in note and "BOOKDESK_SHARING_OPDS_PASSWORD" in note and "each run" in note


def test_a_kept_password_is_shown_as_kept_once_the_page_shows(qtbot):
    secrets = Counting(initial={SHARING_OPDS_PASSWORD: "hunter2"})
    page = shown(qtbot, secrets)
    assert page.opds_password.placeholderText() == ""
    page.show()
    qtbot.waitExposed(page)
    assert page.opds_password.placeholderText() == "kept in the keyring"
    assert page.opds_password.text() == ""  # the password itself is never shown
    assert "keyring" in page.keyring_note.text()
