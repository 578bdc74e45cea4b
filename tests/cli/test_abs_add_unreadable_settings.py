"""``bookdesk abs add`` over a settings file BookDesk cannot use keeps that file aside and says where,
rather than writing the defaults over what the person wrote in it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture


def test_abs_add_over_a_settings_file_with_a_bad_value_keeps_it_aside_and_says_so(
        abs_server, run_cli, monkeypatch):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Di Dean/Dusk", "Dusk", "Di Dean")])
    config = Path(os.environ["BOOKDESK_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    written = json.dumps({"theme": "dark", "close_to_tray": False, "import_mode": "teleport", "audiobookshelf_servers": [
        {"name": "Home", "url": "http://nas:13378", "sync_fields": ["titel"]}]})
    (config / "settings.json").write_text(written, encoding="utf-8")
    monkeypatch.setenv("BOOKDESK_AUDIOBOOKSHELF_OTHER", abs_server.api_key)

    added = run_cli("abs", "add", "Other", abs_server.url, "--abs-library", library_name)

    kept = [p for p in config.iterdir() if p.name.startswith("settings.json.unreadable-")]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == written
    assert str(kept[0]) in added.stderr


def test_abs_add_next_to_a_server_with_a_bad_sync_fields_keeps_it_and_every_other_setting(
        abs_server, run_cli, monkeypatch):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Fay Ford/Fern", "Fern", "Fay Ford")])
    config = Path(os.environ["BOOKDESK_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"theme": "dark", "close_to_tray": False,
                                                      "audiobookshelf_servers": [
        {"name": "Home", "url": "http://nas:13378", "sync_fields": ["titel"]}]}), encoding="utf-8")
    monkeypatch.setenv("BOOKDESK_AUDIOBOOKSHELF_OTHER", abs_server.api_key)

    added = run_cli("abs", "add", "Other", abs_server.url, "--abs-library", library_name)
    listed = run_cli("abs", "servers", "--json")

    assert added.returncode == 0, added.stderr
    saved = json.loads((config / "settings.json").read_text(encoding="utf-8"))
    assert (saved["theme"], saved["close_to_tray"]) == ("dark", False)
    assert [s["name"] for s in saved["audiobookshelf_servers"]] == ["Home", "Other"]
    assert saved["audiobookshelf_servers"][0]["sync_fields"] == ["titel"]  # as written, for the person to mend
    assert [s["name"] for s in json.loads(listed.stdout)["servers"]] == ["Other"]
    assert "Home: 'titel' is not a field to sync" in listed.stderr
