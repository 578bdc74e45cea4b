"""A save that keeps what another BookDesk wrote meanwhile.

The window holds the settings it read (or last saved) while ``bookdesk abs add`` in a terminal may write
the file; saving the window's copy as it is would drop what the terminal added. So a save is merged with
the file as it is now: of each setting, what this process changed since it last read or wrote the file
wins, and the rest is the file's. Lists of named sources (servers, indexers, clients, catalogs) merge
source by source, so a server added here and one added there are both kept, and one removed here goes.
"""

from __future__ import annotations

from dataclasses import fields, replace

from bookdesk.core.settings import Settings

# The settings that are lists of sources, each a dict with its own "name".
NAMED_SOURCES = ("opds_catalogs", "indexers", "download_clients", "audiobookshelf_servers")


def merged(base: Settings, mine: Settings, theirs: Settings | None) -> Settings:
    """``mine`` (``base`` as this process changed it) laid over ``theirs`` (the file now; None when there
    is no usable file, and then ``mine`` as it is)."""
    if theirs is None:
        return mine
    changes = {}
    for setting in fields(Settings):
        name = setting.name
        was, now, there = getattr(base, name), getattr(mine, name), getattr(theirs, name)
        if name in NAMED_SOURCES:
            changes[name] = _merged_sources(was, now, there)
        else:
            changes[name] = now if now != was else there
    return replace(theirs, **changes)


def _merged_sources(base: list[dict], mine: list[dict], theirs: list[dict]) -> list[dict]:
    """``theirs`` in its order with the sources this process added, changed or removed (by name) applied."""
    was, now = _by_name(base), _by_name(mine)
    result = _by_name(theirs)
    for name in was.keys() - now.keys():
        result.pop(name, None)  # removed here
    for name, source in now.items():
        if was.get(name) != source:
            result[name] = source  # added or changed here; one left as it was stays as the file has it
    return list(result.values())


def _by_name(sources: list[dict]) -> dict[str, dict]:
    return {str(source.get("name") or "").strip(): source for source in sources}
