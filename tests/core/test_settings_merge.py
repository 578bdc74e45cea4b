"""A save merged with the settings file as another BookDesk left it: what this process changed wins,
the rest is the file's, and named sources merge one by one."""

from __future__ import annotations

from dataclasses import replace

from bookdesk.core.settings import Settings
from bookdesk.core.settings_merge import merged


def _server(name: str, url: str = "http://nas:13378") -> dict:
    return {"name": name, "url": url, "libraries": [], "path_mappings": [], "enabled": True}


def test_a_source_removed_here_goes_and_one_changed_there_stays_as_changed():
    base = Settings(audiobookshelf_servers=[_server("Attic"), _server("Den")])
    mine = replace(base, audiobookshelf_servers=[_server("Den")])
    theirs = replace(base, audiobookshelf_servers=[_server("Attic"), _server("Den", "http://den:1")],
                     theme="dark")

    saved = merged(base, mine, theirs)

    assert saved.audiobookshelf_servers == [_server("Den", "http://den:1")]
    assert saved.theme == "dark"


def test_a_setting_changed_here_wins_and_without_a_file_the_save_is_as_made():
    base = Settings()
    mine = replace(base, theme="light", indexers=[{"name": "Mine", "url": "http://i", "kind": "torznab"}])
    theirs = replace(base, theme="dark", indexers=[{"name": "Theirs", "url": "http://j", "kind": "newznab"}])

    saved = merged(base, mine, theirs)

    assert saved.theme == "light"
    assert [source["name"] for source in saved.indexers] == ["Theirs", "Mine"]
    assert merged(base, mine, None) == mine
