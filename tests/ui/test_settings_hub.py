"""Settings saved through the hub are in force everywhere once written; settings that cannot be written
change nothing anywhere."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bookdesk.core.library_services import LibraryServices
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import Settings, load_settings, settings_path
from bookdesk.core.worker import Worker
from bookdesk.ui.settings_hub import SettingsHub


@pytest.fixture
def services(service):  # noqa: ANN001, ANN201 - the LibraryService fixture; LibraryServices
    made = LibraryServices(service, Worker(service.catalog), Settings(), InMemorySecretStore())
    yield made
    made.close()


def test_saved_settings_are_written_in_force_and_told(qtbot, services):
    hub = SettingsHub(services)
    new = replace(hub.settings, series_language="en", provider_order=["audnexus", "hardcover", "openlibrary",
                                                                        "googlebooks"])
    with qtbot.waitSignal(hub.changed) as told:
        hub.save(new)
    assert told.args == [new]
    assert hub.settings == new == load_settings()
    assert services.series.policy.language == "en"


def test_settings_that_cannot_be_written_change_nothing(qtbot, services):
    settings_path().mkdir(parents=True)  # a folder where the file goes: the rename onto it fails
    hub = SettingsHub(services)
    before = hub.settings
    with qtbot.assertNotEmitted(hub.changed), pytest.raises(OSError):
        hub.save(replace(before, series_language="en"))
    assert hub.settings is before and services.series.policy == before.gap_policy()


def test_a_save_over_a_file_that_could_not_be_used_keeps_it_aside_and_says_where(qtbot, services):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"theme": "purple"}', encoding="utf-8")
    said: list[str] = []
    hub = SettingsHub(services, tell=said.append)

    hub.save(replace(hub.settings, theme="dark"))

    kept = [p for p in path.parent.iterdir() if p.name.startswith("settings.json.unreadable-")]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == '{"theme": "purple"}'
    assert len(said) == 1 and str(kept[0]) in said[0]
    assert load_settings().theme == "dark"
