"""The window follows the downloads a person handed to a download client: at the start and after a grab
at once (not after the scheduler's start delay), while automation is paused, and what a poll finds wrong
(a client that does not answer, one no longer set up) is said in the status bar."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bookdesk.data.models import Download

# Nothing listens on the discard port: the client refuses at once, as a NAS that is switched off does.
NAS = {"name": "NAS", "kind": "qbittorrent", "url": "http://127.0.0.1:9"}


def handed_to(service, client: str, title: str) -> None:  # noqa: ANN001 - a LibraryService
    """A torrent of ``title`` that ``client`` was given, still downloading there."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with service.catalog.write() as session:
        session.add(Download(source="Prowlarr", url="magnet:?xt=urn:btih:" + "a" * 40, kind="torrent",
                             state="running", created_at=now, updated_at=now, import_after=True, client=client,
                             client_id="a" * 40, title=title))


def test_at_the_start_a_paused_app_still_follows_its_clients_and_says_what_is_wrong(qtbot, make_window, service):
    handed_to(service, "NAS", "Kindred")
    window = make_window(service)
    window.apply_settings(replace(window.settings, automation_paused=True, download_clients=[NAS]))
    said: list[str] = []
    window.acquisition.status.connect(said.append)
    assert window.automation.start() is not None
    qtbot.waitUntil(lambda: any(s.startswith("Kindred: ") for s in said), timeout=30_000)
    assert "NAS" in next(s for s in said if s.startswith("Kindred: "))


def test_a_grab_has_the_clients_asked_at_once_and_a_client_no_longer_set_up_is_said(qtbot, make_window, service):
    window = make_window(service)
    window.apply_settings(replace(window.settings, download_clients=[NAS]))
    said: list[str] = []
    window.acquisition.status.connect(said.append)
    assert window.automation.start() is not None
    handed_to(service, "Old seedbox", "Dune")
    window.acquisition.downloads_changed.emit()  # as a grab ends
    qtbot.waitUntil(lambda: any(s.startswith("Dune: ") for s in said), timeout=30_000)
    assert "Dune: The download client 'Old seedbox' is no longer set up." in said
