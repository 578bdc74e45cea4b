"""ARCHITECTURE.md stays true: every module, folder and test it names is in the tree, so a rename or a
move that forgets the map fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# `core/net/factory.py`, `importer/`, `window_menus.py`, `tests/ui/test_one_bridge.py`: code spans that
# name a file or a folder (not commands, not identifiers).
_NAMED_PATH = re.compile(r"`([\w./-]+(?:\.py|/))`")


def _tree() -> list[str]:
    paths = ["bookdesk/", "tests/", "bench/"]
    for top in ("bookdesk", "tests", "bench"):
        for path in (ROOT / top).rglob("*"):
            if "__pycache__" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            paths.append(relative + "/" if path.is_dir() else relative)
    return paths


def test_every_path_the_architecture_map_names_exists() -> None:
    named = set(_NAMED_PATH.findall((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")))
    assert len(named) > 40  # the map names the tree's places; an empty match would prove nothing
    tree = _tree()
    missing = sorted(name for name in named
                     if not any(path == name or path.endswith("/" + name) for path in tree))
    assert missing == []
