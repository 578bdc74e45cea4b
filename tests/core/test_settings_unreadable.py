"""A settings file BookDesk cannot use is never written over from defaults: the save keeps it aside,
named so a person finds it, and says so."""

from __future__ import annotations

import json
import logging

from bookdesk.core.settings import Settings, load_settings, save_settings


def _bad_file(path, mode="copy"):
    path.write_text(json.dumps({"theme": "dark", "close_to_tray": False, "import_mode": mode, "audiobookshelf_servers": [
        {"name": "Home", "url": "http://nas:13378", "sync_fields": ["titel"]}]}), encoding="utf-8")


def test_a_save_over_a_file_with_a_bad_value_keeps_that_file_aside(tmp_path, caplog):
    path = tmp_path / "settings.json"
    _bad_file(path, "teleport")
    before = path.read_text(encoding="utf-8")

    with caplog.at_level(logging.WARNING):
        kept = save_settings(load_settings(path), path)

    assert kept is not None and kept.name.startswith("settings.json.unreadable-")
    assert kept.read_text(encoding="utf-8") == before
    assert str(kept) in caplog.text


def test_a_save_over_a_file_that_is_not_json_keeps_it_aside(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")

    kept = save_settings(Settings(theme="light"), path)

    assert kept is not None and kept.read_text(encoding="utf-8") == "{not json"
    assert load_settings(path).theme == "light"


def test_a_save_over_a_good_file_keeps_nothing_aside(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(Settings(theme="dark"), path)

    assert save_settings(Settings(theme="light"), path) is None
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_bad_sync_fields_makes_only_that_server_unusable_naming_it(tmp_path):
    import pytest

    from bookdesk.core.audiobookshelf.config import find
    from bookdesk.errors import UsageError

    path = tmp_path / "settings.json"
    _bad_file(path)
    settings = load_settings(path)
    settings.audiobookshelf_servers.append({"name": "Den", "url": "http://den:13378"})

    assert (settings.theme, settings.close_to_tray) == ("dark", False)
    assert [server.name for server in find(settings.audiobookshelf_servers, None)] == ["Den"]
    with pytest.raises(UsageError, match="Home: 'titel' is not a field to sync"):
        find(settings.audiobookshelf_servers, "Home")
    assert save_settings(settings, path) is None
    assert [s["name"] for s in json.loads(path.read_text())["audiobookshelf_servers"]] == ["Home", "Den"]


def test_reading_a_file_that_is_not_json_keeps_it_aside_under_a_name_that_says_when(tmp_path, caplog):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")

    with caplog.at_level(logging.WARNING):
        settings = load_settings(path)

    assert settings == Settings()
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("settings.json.unreadable-")]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "{not json"
    assert str(kept[0]) in caplog.text
